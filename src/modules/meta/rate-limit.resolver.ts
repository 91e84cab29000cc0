import { Ctx, Field, GraphQLISODateTime, Int, ObjectType, Query, Resolver } from "type-graphql";
import type { Context } from "../../context";

@ObjectType({ description: "The caller's query budget (per API key, else per IP address), after this request." })
export class RateLimitInfo {
  @Field(() => Int, { description: "Points the client may spend per window." })
  limit!: number;

  @Field(() => Int, { description: "Points left in the current window." })
  remaining!: number;

  @Field(() => GraphQLISODateTime, { description: "When the window ends and the budget refills (UTC)." })
  resetAt!: Date;

  @Field(() => Int, { description: "Points this request cost: 1, plus 1 per 100 records it may return." })
  cost!: number;
}

@Resolver()
export class RateLimitResolver {
  @Query(() => RateLimitInfo, { description: "Your rate-limit budget; the same numbers come in X-RateLimit-* headers on every response." })
  rateLimit(@Ctx() ctx: Context): RateLimitInfo {
    return ctx.rateLimit!;
  }
}
