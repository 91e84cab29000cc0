import { ArgsType } from "type-graphql";
import { date, ListFilter, keys } from "../../common/filter-input";
import { FilteredConnectionArgs, OrderDirection, OrderInput, RELEVANCE_ORDER, readerOrder } from "../../common/connection";

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

export const ReportFilter = ListFilter("Report", "reports", ["the title and summary", "prose"], {
  publisher: keys("Reports published by any of these companies (company keys)."),
  publishedFrom: date("Reports published on or after this date."),
  publishedTo: date("Reports published on or before this date."),
});
export type ReportFilter = InstanceType<typeof ReportFilter>;

/** The arguments of lists of reports: paging, filter and sort order. */
@ArgsType()
export class ReportConnectionArgs extends FilteredConnectionArgs(ReportFilter, ReportOrder, "reports", "newest first") {}
