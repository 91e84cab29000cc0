import { Ctx, Field, FieldResolver, Int, ObjectType, Resolver, Root } from "type-graphql";
import type { Context } from "../../context";
import { Report } from "../report";
import { Operation, OperationReport } from "./operation.entity";
import { AttributionConfidence } from "./operation.enums";

@ObjectType("Disclosure", { description: "A report's disclosure of an operation (DISCLOSED_IN edge), with what that report stated about it." })
export class Disclosure {
  @Field(() => Report, { description: "The report that disclosed the operation." })
  report!: Report;

  @Field(() => Int, { nullable: true, description: "The Breakout Scale rating (1 to 6) this report gave the operation; null where it gave none." })
  breakoutScale!: number | null;

  @Field(() => Int, { nullable: true, description: "Accounts this report said were banned for the operation; null where it did not say." })
  accountsBanned!: number | null;

  @Field(() => AttributionConfidence, {
    nullable: true,
    description: "How firmly this report attributed the operation to its country of origin; null where it did not say.",
  })
  originConfidence!: AttributionConfidence | null;

  @Field(() => String, { nullable: true, description: "The report's own name for the operation, where it differs from the operation's name." })
  nameInReport!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The report's own words that state this disclosure's values (rating, accounts banned, attribution), verbatim; null where not recorded.",
  })
  quote!: string | null;

  @Field(() => String, { nullable: true, description: "Where in the report `quote` stands: a page, section or case-study heading; null where not recorded." })
  locator!: string | null;
}

/**
 * The disclosures of one operation, oldest report first. Batched per request: one SQL statement
 * loads the edges and their reports for every operation on the page.
 */
export function disclosuresOf(ctx: Context, operationId: number): Promise<Disclosure[]> {
  return ctx
    .batch<number, Disclosure[]>("OperationReport.disclosures", async (ids) => {
      const edges = await ctx.dataSource
        .getRepository(OperationReport)
        .createQueryBuilder("x")
        .innerJoinAndSelect("x.report", "r")
        .where("x.operation_id = ANY(:ids)", { ids: [...ids] })
        .orderBy("x.operation_id")
        .addOrderBy("r.published_on")
        .addOrderBy("r.key")
        .getMany();
      const byOperation = new Map<number, Disclosure[]>(ids.map((id) => [id, []]));
      for (const edge of edges) {
        byOperation.get(edge.operationId)?.push({
          report: edge.report!,
          breakoutScale: edge.breakoutScale,
          accountsBanned: edge.accountsBanned,
          originConfidence: edge.originConfidence,
          nameInReport: edge.nameInReport,
          quote: edge.quote,
          locator: edge.locator,
        });
      }
      return ids.map((id) => byOperation.get(id)!);
    })
    .load(operationId);
}

@Resolver(() => Operation)
export class OperationDisclosuresResolver {
  @FieldResolver(() => [Disclosure], {
    description:
      "Every report that disclosed this operation, oldest first, with what that report stated: publishers re-rate, and each disclosure keeps its own values. The operation's own `breakoutScale`, `accountsBanned` and origin confidences are those of its latest disclosure that states them.",
  })
  disclosures(@Root() operation: Operation, @Ctx() ctx: Context): Promise<Disclosure[]> {
    return disclosuresOf(ctx, operation.id);
  }
}
