import { Check, Column, Entity, Index, PrimaryGeneratedColumn, Unique } from "typeorm";
import { Field, Float, ObjectType } from "type-graphql";
import { Node } from "../../common/node";
import { KeyedRecord } from "../../common/keyed-record";
import { Company } from "../company";
import type { SourceRef } from "../../common/source";
import { sourcesCheck } from "../../common/source-check";
import { report } from "../../common/records/report";
import { fieldOptions } from "../../common/records/graphql";
import { DateColumn, ForeignKey, SourcesColumn, TextColumn, UpdatedAtColumn } from "../../common/columns";

/** A threat report published by a company, disclosing operations that misused AI. */
@Index("report_published_on_id_idx", { synchronize: false }) // keyset index, created by migration MaintainedFacts
@Index("report_title_id_idx", { synchronize: false }) // keyset index, created by migration MaintainedFacts
@Index("report_publisher_published_on_id_idx", { synchronize: false }) // keyset index, created by migration MaintainedFacts
@Index("report_search_idx", { synchronize: false }) // full-text GIN index, created by migration FullTextSearch
@Index("report_updated_at_id_idx", { synchronize: false }) // sync index, created by migration IncrementalSync
@Index("report_publisher_key_id_idx", { synchronize: false }) // keyset index under a parent, created by migration ParentKeysetIndexes
@Index("report_publisher_title_id_idx", { synchronize: false }) // keyset index under a parent, created by migration ParentKeysetIndexes
@Entity({ name: "report" })
@Check("report_period_check", `period_from IS NULL OR period_to IS NULL OR period_from <= period_to`)
@Check("report_sources_check", sourcesCheck(true))
@ObjectType({ implements: Node, simpleResolvers: true, description: "A threat report in which a company discloses operations that misused AI." })
/** Each GraphQL field's description and nullability come from the declaration (src/common/records/report.ts). */
export class Report extends KeyedRecord("Report", report) {
  @UpdatedAtColumn()
  updatedAt!: Date;

  @TextColumn(fieldOptions(report, "title"))
  title!: string;

  @Index()
  @Column({ name: "publisher_id", type: "int" })
  publisherId!: number;

  /** Foreign key only; the GraphQL field `publisher` is resolved through a loader. */
  @ForeignKey(() => Company, "publisher_id", { nullable: false, onDelete: "RESTRICT" })
  publisher?: Company;

  @Index()
  @DateColumn(fieldOptions(report, "publishedOn"), { name: "published_on" })
  publishedOn!: string;

  @TextColumn(fieldOptions(report, "url"))
  url!: string;

  @DateColumn(fieldOptions(report, "periodFrom"), { name: "period_from", nullable: true })
  periodFrom!: string | null;

  @DateColumn(fieldOptions(report, "periodTo"), { name: "period_to", nullable: true })
  periodTo!: string | null;

  @TextColumn(fieldOptions(report, "summary"))
  summary!: string;

  @SourcesColumn(fieldOptions(report, "sources"))
  sources!: SourceRef[];
}

/** A headline number a report states, such as how many operations it disrupted. */
@Entity({ name: "report_figure" })
@Unique("report_figure_position_key", ["reportId", "position"])
@ObjectType({ description: "A headline number a report states, e.g. 10 operations disrupted." })
export class ReportFigure {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index()
  @Column({ name: "report_id", type: "int" })
  reportId!: number;

  /** Foreign key only. */
  @ForeignKey(() => Report, "report_id", { nullable: false, onDelete: "CASCADE" })
  report?: Report;

  /** Order of the figure within its report, as the source lists them. */
  @Column({ type: "int" })
  position!: number;

  @TextColumn({ description: "What is counted, e.g. `operations disrupted in this report`." })
  label!: string;

  @Column({ type: "double precision" })
  @Field(() => Float, { description: "The number as stated." })
  value!: number;

  @TextColumn({ description: "How the report qualifies the number: `exactly`, `more than`, `about`, `at least`, ..." })
  qualifier!: string;
}
