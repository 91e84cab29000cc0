import { ArgsType, Field, InputType, registerEnumType } from "type-graphql";
import { ConnectionArgs, OrderDirection } from "../../common/connection";
import { Region } from "./country.entity";

export enum CountryOrderField {
  NAME = "NAME",
  CODE = "CODE",
}

registerEnumType(CountryOrderField, {
  name: "CountryOrderField",
  description: "What to sort countries by.",
  valuesConfig: {
    NAME: { description: "Common English name, as a reader sorts it: case aside, accents counting (ICU root collation)." },
    CODE: { description: "ISO 3166-1 alpha-2 code." },
  },
});

@InputType({ description: "Sort order for countries; ties break on the country code." })
export class CountryOrder {
  @Field(() => CountryOrderField, { description: "What to sort by." })
  field: CountryOrderField = CountryOrderField.NAME;

  @Field(() => OrderDirection, { description: "Which way." })
  direction: OrderDirection = OrderDirection.ASC;
}

@InputType({ description: "Which countries to list. Values within a field are OR'ed; an omitted or empty field does not filter." })
export class CountryFilter {
  @Field(() => [Region], { nullable: true, description: "Countries in any of these regions." })
  region?: Region[] | null;
}

@ArgsType()
export class CountryConnectionArgs extends ConnectionArgs {
  @Field(() => CountryFilter, { nullable: true, description: "Which countries to list." })
  filter?: CountryFilter | null;

  @Field(() => CountryOrder, { nullable: true, description: "Sort order; by name A-Z when omitted." })
  orderBy?: CountryOrder | null;
}
