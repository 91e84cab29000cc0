import { Check, Column, Entity, Index, PrimaryColumn, type ObjectType as EntityClass } from "typeorm";
import { ObjectType } from "type-graphql";
import { Node } from "../../common/node";
import { KeyedRecord } from "../../common/keyed-record";
import { Country } from "../country";
import { Company } from "../company";
import { Report } from "../report";
import { Operation } from "../operation";
import { SourceKind } from "../../common/source";
import { statement } from "../../common/records/statement";
import { fieldOptions } from "../../common/records/graphql";
import type { SourceKind as SourceKindValue } from "../../common/source-hosts";
import { SOURCE_KIND_VOCABULARY, STANCE_VOCABULARY, sqlIn } from "../../common/vocabulary";
import { describedEnum, type EnumValue } from "../../common/described-enum";
import { DateColumn, EnumColumn, ForeignKey, TextColumn, UpdatedAtColumn } from "../../common/columns";

/** What a statement does. */
export const Stance = describedEnum("Stance", "What a statement does with respect to the reports or operations it is about.", STANCE_VOCABULARY);
export type Stance = EnumValue<typeof Stance>;

export const STANCES = Object.values(Stance);

/** A verbatim quote from a named speaker about reports and/or operations. */
@Index("statement_said_on_id_idx", { synchronize: false }) // keyset index, created by migration MaintainedFacts
@Index("statement_speaker_id_idx", { synchronize: false }) // keyset index, created by migration MaintainedFacts
@Index("statement_search_idx", { synchronize: false }) // full-text GIN index, created by migration FullTextSearch
@Index("statement_updated_at_id_idx", { synchronize: false }) // sync index, created by migration IncrementalSync
@Index("statement_organization_key_id_idx", { synchronize: false }) // keyset index under a parent, created by migration ParentKeysetIndexes
@Index("statement_organization_said_on_id_idx", { synchronize: false }) // keyset index under a parent, created by migration ParentKeysetIndexes
@Index("statement_organization_speaker_id_idx", { synchronize: false }) // keyset index under a parent, created by migration ParentKeysetIndexes
@Index("statement_country_key_id_idx", { synchronize: false }) // keyset index under a parent, created by migration ParentKeysetIndexes
@Index("statement_country_said_on_id_idx", { synchronize: false }) // keyset index under a parent, created by migration ParentKeysetIndexes
@Index("statement_country_speaker_id_idx", { synchronize: false }) // keyset index under a parent, created by migration ParentKeysetIndexes
@Entity({ name: "statement" })
@Check("statement_source_kind_check", `source_kind IN ${sqlIn(SOURCE_KIND_VOCABULARY)}`)
@Check("statement_stance_check", `stance IN ${sqlIn(STANCE_VOCABULARY)}`)
@ObjectType({ implements: Node, simpleResolvers: true, description: "A verbatim quote from a named speaker about reports and/or operations." })
/** Each GraphQL field's description and nullability come from the declaration (src/common/records/statement.ts). */
export class Statement extends KeyedRecord("Statement", statement) {
  @UpdatedAtColumn()
  updatedAt!: Date;

  @TextColumn(fieldOptions(statement, "quote"))
  quote!: string;

  @TextColumn(fieldOptions(statement, "speaker"))
  speaker!: string;

  @TextColumn(fieldOptions(statement, "speakerRole"), { name: "speaker_role", nullable: true })
  speakerRole!: string | null;

  @Index()
  @Column({ name: "organization_id", type: "int", nullable: true })
  organizationId!: number | null;

  /** Foreign key only; the GraphQL field `organization` is resolved through a loader. */
  @ForeignKey(() => Company, "organization_id", { nullable: true, onDelete: "RESTRICT" })
  organization?: Company;

  @Index()
  @Column({ name: "country_code", type: "char", length: 2, nullable: true })
  countryCode!: string | null;

  /** Foreign key only; the GraphQL field `country` is resolved through a loader. */
  @ForeignKey(() => Country, "country_code", { nullable: true, onDelete: "RESTRICT" })
  country?: Country;

  @Index()
  @DateColumn(fieldOptions(statement, "saidOn"), { name: "said_on", nullable: true })
  saidOn!: string | null;

  @Index()
  @EnumColumn(() => Stance, fieldOptions(statement, "stance"))
  stance!: Stance;

  @TextColumn(fieldOptions(statement, "sourceUrl"), { name: "source_url" })
  sourceUrl!: string;

  @EnumColumn(() => SourceKind, fieldOptions(statement, "sourceKind"), { name: "source_kind" })
  sourceKind!: SourceKindValue;
}

/**
 * The entity of a table of edges from statements to the records of one kind (`type`, referred to by
 * `column`) they are about: the two ids make the key, the record's is indexed, and deleting either
 * the statement or the record deletes the edge. Code reads these tables in SQL; the entities declare them.
 */
function StatementAbout<T>(type: () => EntityClass<T>, column: string) {
  abstract class StatementEdge {
    @PrimaryColumn({ name: "statement_id", type: "int" })
    statementId!: number;

    @Index()
    @PrimaryColumn({ name: column, type: "int" })
    aboutId!: number;

    @ForeignKey(() => Statement, "statement_id", { onDelete: "CASCADE" })
    statement?: Statement;

    @ForeignKey(type, column, { onDelete: "CASCADE" })
    about?: T;
  }
  return StatementEdge;
}

/** A report a statement is about. */
@Entity({ name: "statement_report" })
export class StatementReport extends StatementAbout(() => Report, "report_id") {}

/** An operation a statement is about. */
@Entity({ name: "statement_operation" })
export class StatementOperation extends StatementAbout(() => Operation, "operation_id") {}
