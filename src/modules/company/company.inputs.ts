import { ArgsType } from "type-graphql";
import { anyOf, ListFilter, keys } from "../../common/filter-input";
import { SortOrder } from "../../common/sort-order";
import { FilteredConnectionArgs, OrderDirection, readerOrder } from "../../common/connection";
import { CompanyKind } from "./company.entity";

/** How lists of companies are sorted. */
export const CompanyOrder = SortOrder("Company", "companies", {
  fields: {
    NAME: readerOrder("Display name"),
    KEY: "Slug key.",
  },
  byDefault: { field: "NAME", direction: OrderDirection.ASC },
  tiebreak: "an internal id",
});

export const CompanyFilter = ListFilter("Company", "companies", ["the name", "names"], {
  kind: anyOf(() => CompanyKind, "Companies of any of these kinds."),
  hqCountry: keys("Companies headquartered in any of these countries (ISO alpha-2 codes)."),
});
export type CompanyFilter = InstanceType<typeof CompanyFilter>;

/** The arguments of lists of companies: paging, filter and sort order. */
@ArgsType()
export class CompanyConnectionArgs extends FilteredConnectionArgs(CompanyFilter, CompanyOrder, "companies", "by name A-Z") {}
