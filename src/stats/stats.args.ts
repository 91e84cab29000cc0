import { ArgsType, Field, Int } from "type-graphql";
import { DateScalar } from "../common/scalars";
import { TimeInterval } from "./stats.enums";

/** How many values a distribution (`by`) lists before its OTHER bucket, the same for every kind of record. */
@ArgsType()
export class TopValuesArgs {
  @Field(() => Int, { defaultValue: 10, description: "How many values to list before the OTHER bucket (1 to 500)." })
  limit!: number;

  @Field({ defaultValue: true, description: "Whether to add an OTHER bucket for the values beyond `limit`." })
  includeOther!: boolean;
}

/** The buckets of a time series (`overTime`): their width and the days they cover, the same for every kind of record. */
@ArgsType()
export class TimeRangeArgs {
  @Field(() => TimeInterval, { description: "Bucket width." })
  interval!: TimeInterval;

  @Field(() => DateScalar, { nullable: true, description: "First day counted (inclusive); the first bucket starts on its calendar boundary." })
  from!: string | null;

  @Field(() => DateScalar, { nullable: true, description: "First day not counted (exclusive)." })
  to!: string | null;
}
