import { ArgsType } from "type-graphql";
import { date, ListFilter, keys } from "../../common/filter-input";
import { SortOrder } from "../../common/sort-order";
import { FilteredConnectionArgs, OrderDirection, RELEVANCE_ORDER, readerOrder } from "../../common/connection";

/** How lists of reports are sorted. */
export const ReportOrder = SortOrder("Report", "reports", {
  fields: {
    PUBLISHED_ON: "Publication date.",
    TITLE: readerOrder("Title"),
    KEY: "Slug key.",
    RELEVANCE: RELEVANCE_ORDER,
  },
  byDefault: { field: "PUBLISHED_ON", direction: OrderDirection.DESC },
  tiebreak: "an internal id",
});

export const ReportFilter = ListFilter("Report", "reports", ["the title and summary", "prose"], {
  publisher: keys("Reports published by any of these companies (company keys)."),
  publishedFrom: date("Reports published on or after this date."),
  publishedTo: date("Reports published on or before this date."),
});
export type ReportFilter = InstanceType<typeof ReportFilter>;

/** The arguments of lists of reports: paging, filter and sort order. */
@ArgsType()
export class ReportConnectionArgs extends FilteredConnectionArgs(ReportFilter, ReportOrder, "reports", "newest first") {}
