import { getNamedType, getNullableType, isCompositeType, isListType } from "graphql";
import type { DocumentNode, GraphQLSchema } from "graphql";
import { getComplexity } from "graphql-query-complexity";
import type { ComplexityEstimator, ComplexityEstimatorArgs } from "graphql-query-complexity";
import { DEFAULT_PAGE_SIZE } from "../common/connection";
import { SAMPLE_SIZE_MAX } from "../modules/operation";

/** What one statistic costs, per parent it is computed for: a scan of the counted records. */
export const STATISTIC_COST = 100;
/** Most items a plain (non-connection) list of records holds: operation edges, figures (the shipped data stays within it: a test checks). */
export const PLAIN_LIST_BOUND = 10;
/** Most rows, columns or cells of a cross-tab, and splits per time bucket, that a query may expand. */
export const CROSS_TAB_BOUND = 500;
/** Most buckets of one time series (100 years of months). */
export const SERIES_BOUND = 1200;

/**
 * Most selections an operation may expand to once its fragments are spread (query-limits.ts
 * refuses more before pricing). graphql-query-complexity walks a fragment again at every spread,
 * work that doubles with each fragment spreading the next twice, so it is only handed operations
 * whose expansion is within this bound; its own node cap is set just above it.
 */
export const MAX_EXPANDED_SELECTIONS = 10_000;

const STATISTIC_PARENTS = new Set(["OperationStats", "ReportStats", "StatementStats"]);
/** Lists inside a statistic's result: the statistic field has already multiplied by their bound. */
const STATISTIC_RESULT_LISTS = new Set(["Distribution.buckets", "CrossTab.rows", "CrossTab.columns", "CrossTab.cells", "TimeSeries.buckets"]);

/** A field's coerced arguments, as graphql-query-complexity hands them over. */
type FieldArgs = ComplexityEstimatorArgs["args"];

const count = (value: unknown, fallback: number) => (typeof value === "number" && Number.isFinite(value) ? Math.max(value, 1) : fallback);

/** A sample's size bounds what the query may scan: out of bounds, the request is refused (400) before it runs. */
function checkSampleSize(args: FieldArgs): void {
  const size = args.filter?.sample?.size;
  if (typeof size === "number" && (size < 1 || size > SAMPLE_SIZE_MAX)) {
    throw new Error(`filter.sample.size: a sample holds 1 to ${SAMPLE_SIZE_MAX} operations (got ${size})`);
  }
}

/** A statistic costs STATISTIC_COST for the scan, plus its selection for every bucket, row, cell or point it may return. */
function statisticCost(name: string, args: FieldArgs, childComplexity: number): number {
  switch (name) {
    case "by":
      return STATISTIC_COST + (count(args.limit, 10) + 2) * childComplexity;
    case "crossTab":
      return STATISTIC_COST + CROSS_TAB_BOUND * childComplexity;
    case "overTime":
      return STATISTIC_COST + SERIES_BOUND * childComplexity;
    case "operationsPerReport":
      return STATISTIC_COST + count(args.limit, 10) * childComplexity;
    default:
      return STATISTIC_COST + childComplexity;
  }
}

/** The price of fields priced by what they are (statistics, their result lists, `nodes`, the content hash); undefined for the rest. */
function namedFieldCost(typeName: string, fieldName: string, args: FieldArgs, childComplexity: number): number | undefined {
  const key = `${typeName}.${fieldName}`;
  if (STATISTIC_RESULT_LISTS.has(key)) return childComplexity;
  if (STATISTIC_PARENTS.has(typeName)) return statisticCost(fieldName, args, childComplexity);
  if (key === "TimeBucket.splits") return CROSS_TAB_BOUND * childComplexity;
  if (key === "Dataset.contentHash") return STATISTIC_COST;
  if (key === "Query.nodes") return count(Array.isArray(args.ids) ? args.ids.length : undefined, 1) * (1 + childComplexity);
  return undefined;
}

/**
 * Prices one field, given its coerced arguments (variables and defaults applied by
 * graphql-query-complexity) and the price of its selection for one record (`childComplexity`).
 * The unit is a record the query may touch: every list multiplies its selection by how many
 * records it can hold (page size, `ids` length, `limit`, or a fixed bound), so nested lists
 * multiply, and a statistic costs STATISTIC_COST for every parent it is computed for.
 */
export const fieldCost: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  checkSampleSize(args);
  const named = getNamedType(field.type);
  if (named.name.endsWith("Connection")) return count(args.first ?? args.last, DEFAULT_PAGE_SIZE) * (1 + childComplexity);
  if (type.name.endsWith("Connection") && (field.name === "edges" || field.name === "nodes")) return childComplexity;
  const priced = namedFieldCost(type.name, field.name, args, childComplexity);
  if (priced !== undefined) return priced;
  const list = isListType(getNullableType(field.type));
  if (list && isCompositeType(named)) return count(args.last ?? args.limit, PLAIN_LIST_BOUND) * (1 + childComplexity);
  if (isCompositeType(named)) return 1 + childComplexity;
  return 0;
};

/**
 * The cost of the operation a request runs, priced on its coerced variables (defaults included)
 * by graphql-query-complexity with `fieldCost`. Variables that do not coerce price as their
 * defaults would; execution then refuses them with BAD_USER_INPUT before any resolver runs.
 */
export function queryCost(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>, operationName?: string | null): number {
  return getComplexity({
    schema,
    query: document,
    variables,
    operationName: operationName ?? undefined,
    estimators: [fieldCost],
    maxQueryNodes: MAX_EXPANDED_SELECTIONS + 1,
  });
}
