import { ArgsType, Field, InputType } from "type-graphql";
import { FilteredConnectionArgs, OrderDirection, OrderInput, readerOrder } from "../../common/connection";
import { Region } from "./country.entity";

export enum CountryOrderField {
  NAME = "NAME",
  CODE = "CODE",
}

/** How lists of countries are sorted. */
export const CountryOrder = OrderInput("Country", "countries", CountryOrderField, {
  fields: {
    NAME: readerOrder("Common English name"),
    CODE: "ISO 3166-1 alpha-2 code.",
  },
  byDefault: { field: CountryOrderField.NAME, direction: OrderDirection.ASC },
  tiebreak: "the country code",
});

@InputType({ description: "Which countries to list. Values within a field are OR'ed; an omitted or empty field does not filter." })
export class CountryFilter {
  @Field(() => [Region], { nullable: true, description: "Countries in any of these regions." })
  region?: Region[] | null;
}

/** The arguments of lists of countries: paging, filter and sort order. */
@ArgsType()
export class CountryConnectionArgs extends FilteredConnectionArgs(CountryFilter, CountryOrder, "countries", "by name A-Z") {}
