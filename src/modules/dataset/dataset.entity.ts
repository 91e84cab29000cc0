import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import { Field, ObjectType } from "type-graphql";
import { EntitySummaryRow } from "./dataset.types";
import { CreatedAtColumn, TextColumn } from "../../common/columns";

/** One import of a bundle into the database: when, from where, what it changed, and a hash of its files. */
@Entity({ name: "dataset_import" })
@ObjectType({ description: "One import of a bundle: when, from where, and what it changed." })
export class DatasetImport {
  @PrimaryGeneratedColumn()
  id!: number;

  @CreatedAtColumn("imported_at", "When the import was committed (UTC).")
  importedAt!: Date;

  /** File or folder the bundle was read from, as given to the importer. */
  @TextColumn({ description: "The file or folder the bundle was read from, as given to the importer." })
  source!: string;

  /** SHA-256 of the bundle's files (names and bytes, in name order). */
  @TextColumn({ description: "SHA-256 of the bundle's files (names and bytes, in name order)." }, { name: "bundle_hash" })
  bundleHash!: string;

  /** Created, updated and unchanged counts per entity. */
  @Column({ type: "jsonb" })
  summary!: Record<string, { created: number; updated: number; unchanged: number }>;

  @Field(() => [EntitySummaryRow], { name: "summary", description: "Records created, updated and left unchanged, per entity." })
  get summaryRows(): EntitySummaryRow[] {
    const order = ["companies", "reports", "operations", "statements"];
    return Object.entries(this.summary)
      .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
      .map(([entity, counts]) => ({ entity, ...counts }));
  }
}
