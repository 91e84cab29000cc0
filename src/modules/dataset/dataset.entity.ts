import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from "typeorm";

/** One import of a bundle into the database: when, from where, what it changed, and a hash of its content. */
@Entity({ name: "dataset_import" })
export class DatasetImport {
  @PrimaryGeneratedColumn()
  id!: number;

  @CreateDateColumn({ name: "imported_at", type: "timestamptz" })
  importedAt!: Date;

  /** File or folder the bundle was read from, as given to the importer. */
  @Column({ type: "text" })
  source!: string;

  /** SHA-256 of the bundle's files, in name order. */
  @Column({ name: "content_hash", type: "text" })
  contentHash!: string;

  /** Created, updated and unchanged counts per entity. */
  @Column({ type: "jsonb" })
  summary!: Record<string, { created: number; updated: number; unchanged: number }>;
}
