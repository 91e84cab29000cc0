import { ArgsType, Field, InputType } from "type-graphql";
import { FilteredConnectionArgs, OrderDirection, OrderInput, RELEVANCE_ORDER, readerOrder, SearchableFilter } from "../../common/connection";
import { DateScalar } from "../../common/scalars";
import { Stance } from "./statement.entity";

export enum StatementOrderField {
  SAID_ON = "SAID_ON",
  SPEAKER = "SPEAKER",
  KEY = "KEY",
  RELEVANCE = "RELEVANCE",
}

/** How lists of statements are sorted. */
export const StatementOrder = OrderInput("Statement", "statements", StatementOrderField, {
  note: "Statements without a date sort as the earliest.",
  fields: {
    SAID_ON: "When it was said.",
    SPEAKER: readerOrder("Speaker's name"),
    KEY: "Slug key.",
    RELEVANCE: RELEVANCE_ORDER,
  },
  byDefault: { field: StatementOrderField.SAID_ON, direction: OrderDirection.DESC },
  tiebreak: "an internal id",
});

@InputType({ description: "Which statements to list. Values within a field are OR'ed, fields are AND'ed; an omitted or empty field does not filter." })
export class StatementFilter extends SearchableFilter("statements", "the quote and the speaker's name", "prose") {
  @Field(() => [Stance], { nullable: true, description: "Statements with any of these stances." })
  stance?: Stance[] | null;

  @Field(() => [String], { nullable: true, description: "Statements made on behalf of any of these countries (ISO alpha-2 codes)." })
  country?: string[] | null;

  @Field(() => [String], { nullable: true, description: "Statements by any of these organisations (company keys)." })
  organization?: string[] | null;

  @Field(() => [String], { nullable: true, description: "Statements about any of these reports (report keys)." })
  report?: string[] | null;

  @Field(() => [String], { nullable: true, description: "Statements about any of these operations (operation keys)." })
  operation?: string[] | null;

  @Field(() => DateScalar, { nullable: true, description: "Said on or after this date (undated statements are excluded)." })
  saidFrom?: string | null;

  @Field(() => DateScalar, { nullable: true, description: "Said on or before this date (undated statements are excluded)." })
  saidTo?: string | null;
}

/** The arguments of lists of statements: paging, filter and sort order. */
@ArgsType()
export class StatementConnectionArgs extends FilteredConnectionArgs(StatementFilter, StatementOrder, "statements", "newest first") {}
