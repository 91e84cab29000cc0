import { ArgsType, Field, GraphQLISODateTime, InputType, registerEnumType } from "type-graphql";
import { UPDATED_SINCE } from "../sync";
import { ConnectionArgs, OrderDirection } from "../../common/connection";
import { DateScalar } from "../../common/scalars";

export enum ReportOrderField {
  PUBLISHED_ON = "PUBLISHED_ON",
  TITLE = "TITLE",
  KEY = "KEY",
  RELEVANCE = "RELEVANCE",
}

registerEnumType(ReportOrderField, {
  name: "ReportOrderField",
  description: "What to sort reports by.",
  valuesConfig: {
    PUBLISHED_ON: { description: "Publication date." },
    TITLE: { description: "Title, as a reader sorts it: case aside, accents counting (ICU root collation)." },
    KEY: { description: "Slug key." },
    RELEVANCE: {
      description:
        "How well the record matches `filter.text` (PostgreSQL `ts_rank`; name matches weigh most); needs `filter.text`. Use direction DESC for the best matches first.",
    },
  },
});

@InputType({ description: "Sort order for reports; ties break on an internal id." })
export class ReportOrder {
  @Field(() => ReportOrderField, { description: "What to sort by." })
  field: ReportOrderField = ReportOrderField.PUBLISHED_ON;

  @Field(() => OrderDirection, { description: "Which way." })
  direction: OrderDirection = OrderDirection.DESC;
}

@InputType({ description: "Which reports to list. Values within a field are OR'ed, fields are AND'ed; an omitted or empty field does not filter." })
export class ReportFilter {
  @Field(() => String, {
    nullable: true,
    description:
      'Full-text search over the title and summary (PostgreSQL, web-search syntax: words are AND\'ed, "quoted phrases", `or`, `-word`); names match whole words case-insensitively, prose also by word stem. 1-200 characters, not blank.',
  })
  text?: string | null;

  @Field(() => [String], { nullable: true, description: "Reports published by any of these companies (company keys)." })
  publisher?: string[] | null;

  @Field(() => DateScalar, { nullable: true, description: "Reports published on or after this date." })
  publishedFrom?: string | null;

  @Field(() => DateScalar, { nullable: true, description: "Reports published on or before this date." })
  publishedTo?: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: UPDATED_SINCE("reports") })
  updatedSince?: Date | null;
}

@ArgsType()
export class ReportConnectionArgs extends ConnectionArgs {
  @Field(() => ReportFilter, { nullable: true, description: "Which reports to list." })
  filter?: ReportFilter | null;

  @Field(() => ReportOrder, { nullable: true, description: "Sort order; newest first when omitted." })
  orderBy?: ReportOrder | null;
}
