import { request } from "./client";
import { CATEGORY_CHART, OPERATIONS_BY_ORIGIN } from "./queries";
import type { CategoryChartQuery, CategoryChartQueryVariables, OperationsByOriginQuery, OperationsByOriginQueryVariables } from "./generated/graphql";

type OperationRow = OperationsByOriginQuery["operations"]["nodes"][number];

/** Every operation attributed to the given origins, following cursors (pages of 100). */
export async function operationsFrom(endpoint: string, origin: string[]): Promise<OperationRow[]> {
  const rows: OperationRow[] = [];
  let after: string | null = null;
  for (;;) {
    const data: OperationsByOriginQuery = await request<OperationsByOriginQuery, OperationsByOriginQueryVariables>(endpoint, OPERATIONS_BY_ORIGIN, {
      origin,
      after,
    });
    rows.push(...data.operations.nodes);
    if (!data.operations.pageInfo.hasNextPage) return rows;
    after = data.operations.pageInfo.endCursor;
  }
}

/** Bars for a chart of operations by category: real values only, NONE and OTHER kept aside. */
export async function categoryBars(endpoint: string, filter: CategoryChartQueryVariables["filter"] = null): Promise<{ label: string; value: number }[]> {
  const data = await request<CategoryChartQuery, CategoryChartQueryVariables>(endpoint, CATEGORY_CHART, { filter });
  return data.operationStats.by.buckets.filter((bucket) => bucket.kind === "VALUE").map((bucket) => ({ label: bucket.label, value: bucket.count }));
}
