import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { Field, GraphQLISODateTime, ObjectType } from "type-graphql";
import { describedEnum } from "../../common/described-enum";
import type { EnumValue } from "../../common/described-enum";
import { ConnectionType } from "../../common/connection";
import { EnumColumn, TextColumn } from "../../common/columns";

/** The kinds of record a deletion tombstone can name. */
export const RecordKind = describedEnum("RecordKind", "A kind of keyed record.", {
  COMPANY: "A company or other organisation.",
  REPORT: "A threat report.",
  OPERATION: "An operation.",
  STATEMENT: "A statement.",
});
export type RecordKind = EnumValue<typeof RecordKind>;

/** A tombstone: a record that was deleted, written by a trigger (migration IncrementalSync). */
@Index("deletion_deleted_at_id_idx", { synchronize: false })
@Entity({ name: "deletion" })
@Check("deletion_kind_check", `kind IN ('COMPANY','REPORT','OPERATION','STATEMENT')`)
@ObjectType({ description: "A deleted record: its kind, key and when it was deleted, so a local copy can drop it." })
export class Deletion {
  @PrimaryGeneratedColumn()
  id!: number;

  @EnumColumn(() => RecordKind, { description: "What kind of record was deleted." })
  kind!: RecordKind;

  @TextColumn({ description: "The deleted record's key (a key may be deleted, created again and deleted again: one tombstone each time)." })
  key!: string;

  @Column({ type: "timestamptz", name: "deleted_at", default: () => "now()" })
  @Field(() => GraphQLISODateTime, { description: "When the deleting transaction started (UTC)." })
  deletedAt!: Date;
}

/** A page of deletions: `DeletionConnection` with `DeletionEdge`. */
export const DeletionConnection = ConnectionType(() => Deletion, "Deletion", "deletion");
export type DeletionConnection = InstanceType<typeof DeletionConnection>;
