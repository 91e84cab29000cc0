import { ArgsType } from "type-graphql";
import { anyOf, date, keys, ListFilter } from "../../common/filter-input";
import { SortOrder } from "../../common/sort-order";
import { FilteredConnectionArgs, OrderDirection, RELEVANCE_ORDER, readerOrder } from "../../common/connection";
import { Stance } from "./statement.entity";

/** How lists of statements are sorted. */
export const StatementOrder = SortOrder("Statement", "statements", {
  note: "Statements without a date sort as the earliest.",
  fields: {
    SAID_ON: "When it was said.",
    SPEAKER: readerOrder("Speaker's name"),
    KEY: "Slug key.",
    RELEVANCE: RELEVANCE_ORDER,
  },
  byDefault: { field: "SAID_ON", direction: OrderDirection.DESC },
  tiebreak: "an internal id",
});

export const StatementFilter = ListFilter("Statement", "statements", ["the quote and the speaker's name", "prose"], {
  stance: anyOf(() => Stance, "Statements with any of these stances."),
  country: keys("Statements made on behalf of any of these countries (ISO alpha-2 codes)."),
  organization: keys("Statements by any of these organisations (company keys)."),
  report: keys("Statements about any of these reports (report keys)."),
  operation: keys("Statements about any of these operations (operation keys)."),
  saidFrom: date("Said on or after this date (undated statements are excluded)."),
  saidTo: date("Said on or before this date (undated statements are excluded)."),
});
export type StatementFilter = InstanceType<typeof StatementFilter>;

/** The arguments of lists of statements: paging, filter and sort order. */
@ArgsType()
export class StatementConnectionArgs extends FilteredConnectionArgs(StatementFilter, StatementOrder, "statements", "newest first") {}
