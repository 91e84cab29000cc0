import { ArgsType, Field, GraphQLISODateTime, InputType, registerEnumType } from "type-graphql";
import { UPDATED_SINCE } from "../sync";
import { ConnectionArgs, OrderDirection } from "../../common/connection";
import { DateScalar } from "../../common/scalars";
import { Stance } from "./statement.entity";

export enum StatementOrderField {
  SAID_ON = "SAID_ON",
  SPEAKER = "SPEAKER",
  KEY = "KEY",
  RELEVANCE = "RELEVANCE",
}

registerEnumType(StatementOrderField, {
  name: "StatementOrderField",
  description: "What to sort statements by. Statements without a date sort as the earliest.",
  valuesConfig: {
    SAID_ON: { description: "When it was said." },
    SPEAKER: { description: "Speaker's name, as a reader sorts it: case aside, accents counting (ICU root collation)." },
    KEY: { description: "Slug key." },
    RELEVANCE: {
      description:
        "How well the record matches `filter.text` (PostgreSQL `ts_rank`; name matches weigh most); needs `filter.text`. Use direction DESC for the best matches first.",
    },
  },
});

@InputType({ description: "Sort order for statements; ties break on an internal id." })
export class StatementOrder {
  @Field(() => StatementOrderField, { description: "What to sort by." })
  field: StatementOrderField = StatementOrderField.SAID_ON;

  @Field(() => OrderDirection, { description: "Which way." })
  direction: OrderDirection = OrderDirection.DESC;
}

@InputType({ description: "Which statements to list. Values within a field are OR'ed, fields are AND'ed; an omitted or empty field does not filter." })
export class StatementFilter {
  @Field(() => String, {
    nullable: true,
    description:
      "Full-text search over the quote and the speaker's name (PostgreSQL, web-search syntax: words are AND'ed, \"quoted phrases\", `or`, `-word`); names match whole words case-insensitively, prose also by word stem. 1-200 characters, not blank.",
  })
  text?: string | null;

  @Field(() => [Stance], { nullable: true, description: "Statements with any of these stances." })
  stance?: Stance[] | null;

  @Field(() => [String], { nullable: true, description: "Statements made on behalf of any of these countries (ISO alpha-2 codes)." })
  country?: string[] | null;

  @Field(() => [String], { nullable: true, description: "Statements by any of these organisations (company keys)." })
  organization?: string[] | null;

  @Field(() => [String], { nullable: true, description: "Statements about any of these reports (report keys)." })
  report?: string[] | null;

  @Field(() => [String], { nullable: true, description: "Statements about any of these operations (operation keys)." })
  operation?: string[] | null;

  @Field(() => DateScalar, { nullable: true, description: "Said on or after this date (undated statements are excluded)." })
  saidFrom?: string | null;

  @Field(() => DateScalar, { nullable: true, description: "Said on or before this date (undated statements are excluded)." })
  saidTo?: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: UPDATED_SINCE("statements") })
  updatedSince?: Date | null;
}

@ArgsType()
export class StatementConnectionArgs extends ConnectionArgs {
  @Field(() => StatementFilter, { nullable: true, description: "Which statements to list." })
  filter?: StatementFilter | null;

  @Field(() => StatementOrder, { nullable: true, description: "Sort order; newest first when omitted." })
  orderBy?: StatementOrder | null;
}
