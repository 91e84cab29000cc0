import { ArgsType, Field, InputType } from "type-graphql";
import { FilteredConnectionArgs, OrderDirection, OrderInput, readerOrder, SearchableFilter } from "../../common/connection";
import { CompanyKind } from "./company.entity";

export enum CompanyOrderField {
  NAME = "NAME",
  KEY = "KEY",
}

/** How lists of companies are sorted. */
export const CompanyOrder = OrderInput("Company", "companies", CompanyOrderField, {
  fields: {
    NAME: readerOrder("Display name"),
    KEY: "Slug key.",
  },
  byDefault: { field: CompanyOrderField.NAME, direction: OrderDirection.ASC },
  tiebreak: "an internal id",
});

@InputType({ description: "Which companies to list. Values within a field are OR'ed, fields are AND'ed; an omitted or empty field does not filter." })
export class CompanyFilter extends SearchableFilter("companies", "the name", "names") {
  @Field(() => [CompanyKind], { nullable: true, description: "Companies of any of these kinds." })
  kind?: CompanyKind[] | null;

  @Field(() => [String], { nullable: true, description: "Companies headquartered in any of these countries (ISO alpha-2 codes)." })
  hqCountry?: string[] | null;
}

/** The arguments of lists of companies: paging, filter and sort order. */
@ArgsType()
export class CompanyConnectionArgs extends FilteredConnectionArgs(CompanyFilter, CompanyOrder, "companies", "by name A-Z") {}
