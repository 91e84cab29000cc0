import { Ctx, Field, FieldResolver, Int, ObjectType, Resolver, Root } from "type-graphql";
import type { Context } from "../../context";
import { Report } from "../report";
import { Operation, OperationReport } from "./operation.entity";
import { AttributionConfidence } from "./operation.enums";
import { disclosure, DISCLOSED_VALUES } from "../../common/records/disclosure";
import { fieldOptions } from "../../common/records/graphql";

/** The GraphQL type of each of a disclosure's fields, in the schema's order; the descriptions are the declaration's. */
const DISCLOSURE_FIELDS = {
  report: () => Report,
  breakoutScale: () => Int,
  accountsBanned: () => Int,
  originConfidence: () => AttributionConfidence,
  nameInReport: () => String,
  quote: () => String,
  locator: () => String,
};

@ObjectType("Disclosure", { description: "A report's disclosure of an operation (DISCLOSED_IN edge), with what that report stated about it." })
class DisclosureType {}
for (const [name, type] of Object.entries(DISCLOSURE_FIELDS)) {
  Field(type, fieldOptions(disclosure, name as keyof typeof DISCLOSURE_FIELDS))(DisclosureType.prototype, name);
}

/** A report's disclosure of an operation: the report, and the values it stated as the edge stores them. */
export const Disclosure = DisclosureType as new () => { report: Report } & Pick<OperationReport, (typeof DISCLOSED_VALUES)[number]>;
export type Disclosure = InstanceType<typeof Disclosure>;

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
