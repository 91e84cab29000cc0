import { Check, Column, Entity, Index, PrimaryColumn } from "typeorm";
import { Field, Int, ObjectType } from "type-graphql";
import { Node } from "../../common/node";
import { KeyedRecord } from "../../common/keyed-record";
import { DateScalar } from "../../common/scalars";
import { Country } from "../country";
import { Company } from "../company";
import { Report } from "../report";
import type { SourceRef } from "../../common/source";
import { sourcesCheck } from "../../common/source-check";
import {
  ACTOR_TYPE_VOCABULARY,
  ATTRIBUTION_CONFIDENCE_VOCABULARY,
  COMPANY_ROLE_VOCABULARY,
  OPERATION_CATEGORY_VOCABULARY,
  sqlArray,
  sqlIn,
} from "../../common/vocabulary";
import { ActorType, AttributionConfidence, CompanyRole, OperationCategory } from "./operation.enums";
import { operation } from "../../common/records/operation";
import { fieldOptions } from "../../common/records/graphql";
import { DateColumn, EnumColumn, ForeignKey, PositionColumn, SourcesColumn, TextColumn, UpdatedAtColumn } from "../../common/columns";

/** An operation that misused AI, as one or more reports disclosed it. */
@Index("operation_updated_at_id_idx", { synchronize: false }) // sync index, created by migration IncrementalSync
@Entity({ name: "operation" })
@Check("operation_categories_check", `cardinality(categories) > 0 AND categories <@ ${sqlArray(OPERATION_CATEGORY_VOCABULARY)}`)
@Check("operation_actor_type_check", `actor_type IN ${sqlIn(ACTOR_TYPE_VOCABULARY)}`)
@Check("operation_breakout_scale_check", `breakout_scale BETWEEN 1 AND 6`)
@Check("operation_accounts_banned_check", `accounts_banned >= 0`)
@Check("operation_seen_check", `first_seen IS NULL OR last_seen IS NULL OR first_seen <= last_seen`)
@Check("operation_sources_check", sourcesCheck(true))
@Index("operation_name_id_idx", { synchronize: false })
@Index("operation_first_disclosed_id_idx", { synchronize: false })
@Index("operation_breakout_scale_id_idx", { synchronize: false })
@Index("operation_accounts_banned_id_idx", { synchronize: false })
@Index("operation_actor_type_name_id_idx", { synchronize: false })
@Index("operation_search_idx", { synchronize: false }) // full-text GIN index, created by migration FullTextSearch
@ObjectType({ implements: Node, simpleResolvers: true, description: "An operation that misused AI models, as disclosed in one or more threat reports." })
export class Operation extends KeyedRecord("Operation", operation) {
  @UpdatedAtColumn()
  updatedAt!: Date;

  @TextColumn(fieldOptions(operation, "name"))
  name!: string;

  @Column({ type: "text", array: true, default: () => "'{}'" })
  @Field(() => [String], fieldOptions(operation, "aliases"))
  aliases!: string[];

  @Index("operation_categories_idx", { synchronize: false })
  @Column({ type: "text", array: true })
  @Field(() => [OperationCategory], fieldOptions(operation, "categories"))
  categories!: OperationCategory[];

  @Index()
  @EnumColumn(() => ActorType, fieldOptions(operation, "actorType"), { name: "actor_type" })
  actorType!: ActorType;

  @TextColumn(fieldOptions(operation, "summary"))
  summary!: string;

  @Column({ name: "accounts_banned", type: "int", nullable: true })
  @Field(() => Int, fieldOptions(operation, "accountsBanned"))
  accountsBanned!: number | null;

  @Index()
  @Column({ name: "breakout_scale", type: "smallint", nullable: true })
  @Field(() => Int, fieldOptions(operation, "breakoutScale"))
  breakoutScale!: number | null;

  @DateColumn(fieldOptions(operation, "firstSeen"), { name: "first_seen", nullable: true })
  firstSeen!: string | null;

  @DateColumn(fieldOptions(operation, "lastSeen"), { name: "last_seen", nullable: true })
  lastSeen!: string | null;

  /** Maintained by the database (migration MaintainedFacts) whenever disclosures or report dates change. */
  @Column({ name: "first_disclosed_on", type: "date", nullable: true, insert: false, update: false })
  @Field(() => DateScalar, { nullable: true, description: "Publication date of the earliest report that disclosed this operation." })
  firstDisclosedOn!: string | null;

  @SourcesColumn(fieldOptions(operation, "sources"))
  sources!: SourceRef[];
}

/**
 * An edge from an operation: its `operation_id`, part of the edge's primary key, and the foreign key
 * that deletes the edge with the operation. Each edge table adds what the edge leads to; TypeORM
 * gives each table the columns, relations and indices of the classes it extends, as if declared in it.
 */
abstract class OperationEdge {
  @PrimaryColumn({ name: "operation_id", type: "int" })
  operationId!: number;

  @ForeignKey(() => Operation, "operation_id", { onDelete: "CASCADE" })
  operation?: Operation;
}

/** DISCLOSED_IN: a report that disclosed an operation, with what that report stated about it. */
@Entity({ name: "operation_report" })
@Check("operation_report_breakout_scale_check", `breakout_scale BETWEEN 1 AND 6`)
@Check("operation_report_accounts_banned_check", `accounts_banned >= 0`)
@Check("operation_report_origin_confidence_check", `origin_confidence IN ${sqlIn(ATTRIBUTION_CONFIDENCE_VOCABULARY)}`)
export class OperationReport extends OperationEdge {
  @Index()
  @PrimaryColumn({ name: "report_id", type: "int" })
  reportId!: number;

  /** The report's own name for the operation, where it differs from the operation's name. */
  @Column({ name: "name_in_report", type: "text", nullable: true })
  nameInReport!: string | null;

  /** The Breakout Scale rating this report gave, where it gave one. */
  @Column({ name: "breakout_scale", type: "smallint", nullable: true })
  breakoutScale!: number | null;

  /** Accounts this report said were banned, where it said. */
  @Column({ name: "accounts_banned", type: "int", nullable: true })
  accountsBanned!: number | null;

  /** How firmly this report attributed the operation to its country of origin, where it did. */
  @Column({ name: "origin_confidence", type: "text", nullable: true })
  originConfidence!: AttributionConfidence | null;

  /** The report's own words that state this disclosure's values, verbatim. */
  @Column({ name: "quote", type: "text", nullable: true })
  quote!: string | null;

  /** Where in the report the quote stands: page, section or case-study heading. */
  @Column({ name: "locator", type: "text", nullable: true })
  locator!: string | null;

  @ForeignKey(() => Report, "report_id", { onDelete: "CASCADE" })
  report?: Report;
}

/**
 * An edge from an operation to a country (ORIGIN or TARGET), in the order the source lists them;
 * a country with edges cannot be deleted.
 */
abstract class OperationCountryEdge extends OperationEdge {
  @Index()
  @PrimaryColumn({ name: "country_code", type: "char", length: 2 })
  countryCode!: string;

  @PositionColumn()
  position!: number;

  @ForeignKey(() => Country, "country_code", { onDelete: "RESTRICT" })
  country?: Country;
}

/** ORIGIN: a country an operation is attributed to, with the publisher's confidence. */
@Entity({ name: "operation_origin" })
@Check("operation_origin_confidence_check", `confidence IN ${sqlIn(ATTRIBUTION_CONFIDENCE_VOCABULARY)}`)
export class OperationOrigin extends OperationCountryEdge {
  @Column({ type: "text" })
  confidence!: AttributionConfidence;
}

/** TARGET: a country whose audiences or organisations an operation aimed at. */
@Entity({ name: "operation_target" })
export class OperationTarget extends OperationCountryEdge {}

/** AI_TOOL, PLATFORM or OPERATOR: a company in a role in an operation. */
@Entity({ name: "operation_company" })
@Check("operation_company_role_check", `role IN ${sqlIn(COMPANY_ROLE_VOCABULARY)}`)
@Index("operation_company_company_role_idx", ["companyId", "role"])
export class OperationCompany extends OperationEdge {
  @PrimaryColumn({ name: "company_id", type: "int" })
  companyId!: number;

  @PrimaryColumn({ type: "text" })
  role!: CompanyRole;

  @PositionColumn()
  position!: number;

  @ForeignKey(() => Company, "company_id", { onDelete: "RESTRICT" })
  company?: Company;
}
