import { ArgsType } from "type-graphql";
import { anyOf, FilterInput } from "../../common/filter-input";
import { SortOrder } from "../../common/sort-order";
import { FilteredConnectionArgs, OrderDirection, readerOrder } from "../../common/connection";
import { Region } from "./country.entity";

/** How lists of countries are sorted. */
export const CountryOrder = SortOrder("Country", "countries", {
  fields: {
    NAME: readerOrder("Common English name"),
    CODE: "ISO 3166-1 alpha-2 code.",
  },
  byDefault: { field: "NAME", direction: OrderDirection.ASC },
  tiebreak: "the country code",
});

export const CountryFilter = FilterInput(
  "CountryFilter",
  "Which countries to list. Values within a field are OR'ed; an omitted or empty field does not filter.",
  {
    region: anyOf(() => Region, "Countries in any of these regions."),
  },
);
export type CountryFilter = InstanceType<typeof CountryFilter>;

/** The arguments of lists of countries: paging, filter and sort order. */
@ArgsType()
export class CountryConnectionArgs extends FilteredConnectionArgs(CountryFilter, CountryOrder, "countries", "by name A-Z") {}
