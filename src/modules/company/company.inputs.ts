import { ArgsType, Field, GraphQLISODateTime, InputType, registerEnumType } from "type-graphql";
import { UPDATED_SINCE } from "../sync";
import { ConnectionArgs, OrderDirection } from "../../common/connection";
import { CompanyKind } from "./company.entity";

export enum CompanyOrderField {
  NAME = "NAME",
  KEY = "KEY",
}

registerEnumType(CompanyOrderField, {
  name: "CompanyOrderField",
  description: "What to sort companies by.",
  valuesConfig: {
    NAME: { description: "Display name, as a reader sorts it: case aside, accents counting (ICU root collation)." },
    KEY: { description: "Slug key." },
  },
});

@InputType({ description: "Sort order for companies; ties break on an internal id." })
export class CompanyOrder {
  @Field(() => CompanyOrderField, { description: "What to sort by." })
  field: CompanyOrderField = CompanyOrderField.NAME;

  @Field(() => OrderDirection, { description: "Which way." })
  direction: OrderDirection = OrderDirection.ASC;
}

@InputType({ description: "Which companies to list. Values within a field are OR'ed, fields are AND'ed; an omitted or empty field does not filter." })
export class CompanyFilter {
  @Field(() => String, {
    nullable: true,
    description:
      'Full-text search over the name (PostgreSQL, web-search syntax: words are AND\'ed, "quoted phrases", `or`, `-word`); whole words match, case-insensitively. 1-200 characters, not blank.',
  })
  text?: string | null;

  @Field(() => [CompanyKind], { nullable: true, description: "Companies of any of these kinds." })
  kind?: CompanyKind[] | null;

  @Field(() => [String], { nullable: true, description: "Companies headquartered in any of these countries (ISO alpha-2 codes)." })
  hqCountry?: string[] | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: UPDATED_SINCE("companies") })
  updatedSince?: Date | null;
}

@ArgsType()
export class CompanyConnectionArgs extends ConnectionArgs {
  @Field(() => CompanyFilter, { nullable: true, description: "Which companies to list." })
  filter?: CompanyFilter | null;

  @Field(() => CompanyOrder, { nullable: true, description: "Sort order; by name A-Z when omitted." })
  orderBy?: CompanyOrder | null;
}
