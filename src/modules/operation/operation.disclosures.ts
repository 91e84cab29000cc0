import { Ctx, Field, FieldResolver, Int, ObjectType, Resolver, Root } from "type-graphql";
import type { Context } from "../../context";
import { Report } from "../report";
import { Operation, OperationReport } from "./operation.entity";
import { AttributionConfidence } from "./operation.enums";
import { disclosure, DISCLOSED_VALUES } from "../../common/records/disclosure";
import { fieldOptions } from "../../common/records/graphql";

@ObjectType("Disclosure", { description: "A report's disclosure of an operation (DISCLOSED_IN edge), with what that report stated about it." })
export class Disclosure {
  @Field(() => Report, fieldOptions(disclosure, "report"))
  report!: Report;

  @Field(() => Int, fieldOptions(disclosure, "breakoutScale"))
  breakoutScale!: number | null;

  @Field(() => Int, fieldOptions(disclosure, "accountsBanned"))
  accountsBanned!: number | null;

  @Field(() => AttributionConfidence, fieldOptions(disclosure, "originConfidence"))
  originConfidence!: AttributionConfidence | null;

  @Field(() => String, fieldOptions(disclosure, "nameInReport"))
  nameInReport!: string | null;

  @Field(() => String, fieldOptions(disclosure, "quote"))
  quote!: string | null;

  @Field(() => String, fieldOptions(disclosure, "locator"))
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
        const values = Object.fromEntries(DISCLOSED_VALUES.map((field) => [field, edge[field]]));
        byOperation.get(edge.operationId)?.push({ report: edge.report!, ...values } as Disclosure);
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
