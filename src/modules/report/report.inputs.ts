import { ArgsType, Field, InputType } from "type-graphql";
import { FilteredConnectionArgs, OrderDirection, OrderInput, RELEVANCE_ORDER, readerOrder, SearchableFilter } from "../../common/connection";
import { DateScalar } from "../../common/scalars";

export enum ReportOrderField {
  PUBLISHED_ON = "PUBLISHED_ON",
  TITLE = "TITLE",
  KEY = "KEY",
  RELEVANCE = "RELEVANCE",
}

/** How lists of reports are sorted. */
export const ReportOrder = OrderInput("Report", "reports", ReportOrderField, {
  fields: {
    PUBLISHED_ON: "Publication date.",
    TITLE: readerOrder("Title"),
    KEY: "Slug key.",
    RELEVANCE: RELEVANCE_ORDER,
  },
  byDefault: { field: ReportOrderField.PUBLISHED_ON, direction: OrderDirection.DESC },
  tiebreak: "an internal id",
});

@InputType({ description: "Which reports to list. Values within a field are OR'ed, fields are AND'ed; an omitted or empty field does not filter." })
export class ReportFilter extends SearchableFilter("reports", "the title and summary", "prose") {
  @Field(() => [String], { nullable: true, description: "Reports published by any of these companies (company keys)." })
  publisher?: string[] | null;

  @Field(() => DateScalar, { nullable: true, description: "Reports published on or after this date." })
  publishedFrom?: string | null;

  @Field(() => DateScalar, { nullable: true, description: "Reports published on or before this date." })
  publishedTo?: string | null;
}

/** The arguments of lists of reports: paging, filter and sort order. */
@ArgsType()
export class ReportConnectionArgs extends FilteredConnectionArgs(ReportFilter, ReportOrder, "reports", "newest first") {}
