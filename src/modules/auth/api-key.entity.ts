import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

/** What a key may do: editors write records, admins also delete and read the audit log. */
export enum Role {
  EDITOR = "editor",
  ADMIN = "admin",
}

/** An API key for curation. Only a SHA-256 of the key is stored; the key is shown once, at creation. */
@Entity({ name: "api_key" })
@Check("api_key_role_check", `role IN ('editor','admin')`)
// Unique as a reader sees it (case, width, dashes and surrounding spaces aside), so the audit log's
// key name tells keys apart: a unique index on api_key_name_fold(name), created by migration FoldedApiKeyNames.
@Index("api_key_name_folded_unique", { synchronize: false })
export class ApiKey {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: "text" })
  name!: string;

  @Column({ type: "text" })
  role!: Role;

  @Column({ name: "key_hash", type: "text", unique: true })
  keyHash!: string;

  /** The key's first characters, to tell keys apart in listings. */
  @Column({ name: "key_prefix", type: "text" })
  keyPrefix!: string;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;

  @Column({ name: "revoked_at", type: "timestamptz", nullable: true })
  revokedAt!: Date | null;
}
