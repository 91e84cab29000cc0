import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Field, GraphQLISODateTime, Int, ObjectType } from "type-graphql";
import { GraphQLJSON } from "graphql-scalars";
import { ApiKey } from "../auth";

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
  @CreateDateColumn({ name: "at", type: "timestamptz" })
  @Field(() => GraphQLISODateTime, { description: "When the write was committed (UTC)." })
  at!: Date;

  @Index()
  @Column({ name: "api_key_id", type: "int" })
  apiKeyId!: number;

  /** Foreign key only. */
  @ManyToOne(() => ApiKey, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "api_key_id" })
  apiKey?: ApiKey;

  @Column({ name: "api_key_name", type: "text" })
  @Field({ description: "Name of the API key that made the write, when it was made (key names are unique)." })
  apiKeyName!: string;

  /** The key as GraphQL shows it (`apiKey` is the TypeORM relation's name). */
  @Field(() => AuditKey, { name: "apiKey", description: "The API key that made the write: id and name, so two keys are never confused." })
  get key(): AuditKey {
    return { id: this.apiKeyId, name: this.apiKeyName };
  }

  @Column({ type: "text" })
  @Field({ description: "The mutation, e.g. `operationUpsert`." })
  operation!: string;

  @Column({ name: "record_kind", type: "text" })
  @Field({ description: "`companies`, `reports`, `operations` or `statements`." })
  recordKind!: string;

  @Column({ name: "record_key", type: "text" })
  @Field({ description: "Key of the record written." })
  recordKey!: string;

  @Column({ type: "jsonb", nullable: true })
  @Field(() => GraphQLJSON, { nullable: true, description: "The record before the write, in bundle form; null when it was created." })
  before!: unknown;

  @Column({ type: "jsonb", nullable: true })
  @Field(() => GraphQLJSON, { nullable: true, description: "The record after the write, in bundle form; null when it was deleted." })
  after!: unknown;
}
