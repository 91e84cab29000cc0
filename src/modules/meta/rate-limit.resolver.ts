import { Ctx, GraphQLISODateTime, Int, ObjectType, Query, Resolver } from "type-graphql";
import { ObjectFields, field } from "../../common/described-object";
import type { Context } from "../../context";

@ObjectType({ description: "The caller's query budget (per API key, else per IP address), after this request." })
export class RateLimitInfo extends ObjectFields({
  limit: field(() => Int, "Points the client may spend per window."),
  remaining: field(() => Int, "Points left in the current window."),
  resetAt: field(() => GraphQLISODateTime, "When the window ends and the budget refills (UTC)."),
  cost: field(() => Int, "Points this request cost: 1, plus 1 per 100 records it may return."),
}) {}

@Resolver()
export class RateLimitResolver {
  @Query(() => RateLimitInfo, { description: "Your rate-limit budget; the same numbers come in X-RateLimit-* headers on every response." })
  rateLimit(@Ctx() ctx: Context): RateLimitInfo {
    return ctx.rateLimit!;
  }
}
