import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { Field, Int, ObjectType } from "type-graphql";
import { GraphQLJSON } from "graphql-scalars";
import { ApiKey } from "../auth";
import { CreatedAtColumn, ForeignKey, TextColumn } from "../../common/columns";

/** The API key behind an audit entry: id and name, never the key itself. */
@ObjectType({ description: "The API key that made a write: its id and its (unique) name, never the key itself." })
export class AuditKey {
  @Field(() => Int, { description: "Id of the key, as `npm run apikey -- list` shows it." })
  id!: number;

  @Field({ description: "Name of the key; names are unique." })
  name!: string;
}

/** One write through the API: who, when, which mutation, and the record before and after. */
@Entity({ name: "audit_entry" })
@ObjectType({ description: "One write through the API: which key, when, which mutation, and the record before and after (bundle form)." })
export class AuditEntry {
  @PrimaryGeneratedColumn()
  @Field(() => Int, { description: "Sequence number of the entry." })
  id!: number;

  @Index()
  @CreatedAtColumn("at", "When the write was committed (UTC).")
  at!: Date;

  @Index()
  @Column({ name: "api_key_id", type: "int" })
  apiKeyId!: number;

  /** Foreign key only. */
  @ForeignKey(() => ApiKey, "api_key_id", { onDelete: "RESTRICT" })
  apiKey?: ApiKey;

  @TextColumn({ description: "Name of the API key that made the write, when it was made (key names are unique)." }, { name: "api_key_name" })
  apiKeyName!: string;

  /** The key as GraphQL shows it (`apiKey` is the TypeORM relation's name). */
  @Field(() => AuditKey, { name: "apiKey", description: "The API key that made the write: id and name, so two keys are never confused." })
  get key(): AuditKey {
    return { id: this.apiKeyId, name: this.apiKeyName };
  }

  @TextColumn({ description: "The mutation, e.g. `operationUpsert`." })
  operation!: string;

  @TextColumn({ description: "`companies`, `reports`, `operations` or `statements`." }, { name: "record_kind" })
  recordKind!: string;

  @TextColumn({ description: "Key of the record written." }, { name: "record_key" })
  recordKey!: string;

  @Column({ type: "jsonb", nullable: true })
  @Field(() => GraphQLJSON, { nullable: true, description: "The record before the write, in bundle form; null when it was created." })
  before!: unknown;

  @Column({ type: "jsonb", nullable: true })
  @Field(() => GraphQLJSON, { nullable: true, description: "The record after the write, in bundle form; null when it was deleted." })
  after!: unknown;
}
