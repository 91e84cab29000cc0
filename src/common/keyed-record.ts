import { Check, PrimaryGeneratedColumn } from "typeorm";
import { ObjectType } from "type-graphql";
import { KeyColumn } from "./columns";
import { toGlobalId, type NodeTypeName } from "./global-id";
import { fieldOptions } from "./records/graphql";
import type { RecordDecl } from "./records/declare";

/**
 * The base class of the entity of a keyed record (company, report, operation, statement): what each
 * such table and GraphQL type has alike. The serial `id` that edges and foreign keys refer to; the
 * unique slug `key`, described as the record's declaration says and held to the slug form by the
 * check `<table>_key_check`; and the Node ID built from the key. Each call makes its own class, so
 * the description and the names are the record's own. `updatedAt` stays with each record:
 * `columnsFor` (common/selection.ts) takes a column for a GraphQL field only where the type declares
 * the field itself, and would read `updated_at` for every page otherwise (`key` it reads always).
 */
export function KeyedRecord(type: NodeTypeName, decl: RecordDecl) {
  @Check(`${decl.table}_key_check`, `key ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`)
  @ObjectType(`${type}KeyedRecord`, { simpleResolvers: true })
  abstract class Keyed {
    @PrimaryGeneratedColumn()
    id!: number;

    @KeyColumn(fieldOptions(decl, "key"))
    key!: string;

    get nodeId(): string {
      return toGlobalId(type, this.key);
    }
  }
  return Keyed;
}
