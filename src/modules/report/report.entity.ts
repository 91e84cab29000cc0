import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from "typeorm";
import { Field, Float, ObjectType, GraphQLISODateTime } from "type-graphql";
import { Node } from "../../common/node";
import { toGlobalId } from "../../common/global-id";
import { DateScalar } from "../../common/scalars";
import { Company } from "../company";
import { Source, type SourceRef } from "../../common/source";
import { sourcesCheck } from "../../common/source-check";

/** A threat report published by a company, disclosing operations that misused AI. */
@Index("report_published_on_id_idx", { synchronize: false }) // keyset index, created by migration MaintainedFacts
@Index("report_title_id_idx", { synchronize: false }) // keyset index, created by migration MaintainedFacts
@Index("report_publisher_published_on_id_idx", { synchronize: false }) // keyset index, created by migration MaintainedFacts
@Index("report_search_idx", { synchronize: false }) // full-text GIN index, created by migration FullTextSearch
@Index("report_updated_at_id_idx", { synchronize: false }) // sync index, created by migration IncrementalSync
@Entity({ name: "report" })
@Check("report_key_check", `key ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`)
@Check("report_period_check", `period_from IS NULL OR period_to IS NULL OR period_from <= period_to`)
@Check("report_sources_check", sourcesCheck(true))
@ObjectType({ implements: Node, simpleResolvers: true, description: "A threat report in which a company discloses operations that misused AI." })
export class Report {
  @Column({ type: "timestamptz", name: "updated_at", default: () => "now()" })
  @Field(() => GraphQLISODateTime, {
    description: "When this record or its edges last changed (UTC; the writing transaction's start). Filter lists with `updatedSince` to fetch only changes.",
  })
  updatedAt!: Date;

  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: "text", unique: true })
  @Field({ description: "Stable slug key, `publisher-yyyy-mm`, e.g. `openai-2025-06`." })
  key!: string;

  @Column({ type: "text" })
  @Field({ description: "Title as published." })
  title!: string;

  @Index()
  @Column({ name: "publisher_id", type: "int" })
  publisherId!: number;

  /** Foreign key only; the GraphQL field `publisher` is resolved through a loader. */
  @ManyToOne(() => Company, { nullable: false, onDelete: "RESTRICT" })
  @JoinColumn({ name: "publisher_id" })
  publisher?: Company;

  @Index()
  @Column({ name: "published_on", type: "date" })
  @Field(() => DateScalar, { description: "Publication date." })
  publishedOn!: string;

  @Column({ type: "text" })
  @Field({ description: "Where the report is published." })
  url!: string;

  @Column({ name: "period_from", type: "date", nullable: true })
  @Field(() => DateScalar, { nullable: true, description: "First day of the period the report covers, where it states one." })
  periodFrom!: string | null;

  @Column({ name: "period_to", type: "date", nullable: true })
  @Field(() => DateScalar, { nullable: true, description: "Last day of the period the report covers, where it states one." })
  periodTo!: string | null;

  @Column({ type: "text" })
  @Field({ description: "A short summary in our own words." })
  summary!: string;

  @Column({ type: "jsonb" })
  @Field(() => [Source], { description: "Pages the facts about this report come from, typed, the publisher's own page first." })
  sources!: SourceRef[];

  get nodeId(): string {
    return toGlobalId("Report", this.key);
  }
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
  @ManyToOne(() => Report, { nullable: false, onDelete: "CASCADE" })
  @JoinColumn({ name: "report_id" })
  report?: Report;

  /** Order of the figure within its report, as the source lists them. */
  @Column({ type: "int" })
  position!: number;

  @Column({ type: "text" })
  @Field({ description: "What is counted, e.g. `operations disrupted in this report`." })
  label!: string;

  @Column({ type: "double precision" })
  @Field(() => Float, { description: "The number as stated." })
  value!: number;

  @Column({ type: "text" })
  @Field({ description: "How the report qualifies the number: `exactly`, `more than`, `about`, `at least`, ..." })
  qualifier!: string;
}
