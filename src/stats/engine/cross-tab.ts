import type { Bucket, CrossTab } from "../stats.types";
import { NONE_KEY, byCountThenKey, byParent, labelsCte, noneBucket, orNone, valueBucket, withClause } from "./dimension";
import type { Dimension, Run, StatsBase } from "./dimension";

interface CellRow {
  parent: string;
  rk: string | null;
  ck: string | null;
  n: number;
  row_part: number;
  column_part: number;
  total_part: number;
  row_label: string | null;
  column_label: string | null;
}

/** Totals per row or column key, with labels, from the cells of one parent. */
function totals(cells: CellRow[], key: (cell: CellRow) => string | null, part: (cell: CellRow) => number, label: (cell: CellRow) => string | null) {
  const map = new Map<string | null, { count: number; label: string | null }>();
  for (const cell of cells) {
    const entry = map.get(key(cell)) ?? { count: 0, label: label(cell) };
    entry.count += part(cell);
    map.set(key(cell), entry);
  }
  return map;
}

function headers(dimension: Dimension, map: Map<string | null, { count: number; label: string | null }>, grandTotal: number): Bucket[] {
  const values = [...map.entries()]
    .filter(([key, entry]) => key !== null && entry.count > 0)
    .map(([key, entry]) => valueBucket(dimension, key!, entry.label, entry.count, grandTotal));
  const none = map.get(null);
  return [...values.sort(byCountThenKey), ...(none && none.count > 0 ? [noneBucket(none.count, grandTotal)] : [])];
}

/**
 * Distinct records per pair of values of two dimensions, with row, column and grand totals, for
 * every parent from one scan: each record contributes its cross product of keys, and the
 * ordinality-1 rows of each side count it once for the other side's totals. Records without a
 * value sit in NONE rows/columns.
 */
export async function crossTab(run: Run, base: StatsBase, rows: Dimension, columns: Dimension, parents: readonly string[]): Promise<Map<string, CrossTab>> {
  const sql = `${withClause(base, [
    labelsCte("rl", rows),
    labelsCte("cl", columns),
    `combos AS (SELECT f.parent, ${rows.values} AS ra, ${columns.values} AS ca, count(*)::int AS w FROM f GROUP BY 1, 2, 3)`,
    `cells AS (SELECT combos.parent, r.k AS rk, c.k AS ck, sum(w)::int AS n,
                      COALESCE(sum(w) FILTER (WHERE c.o = 1), 0)::int AS row_part, COALESCE(sum(w) FILTER (WHERE r.o = 1), 0)::int AS column_part,
                      COALESCE(sum(w) FILTER (WHERE r.o = 1 AND c.o = 1), 0)::int AS total_part
               FROM combos, unnest(${orNone("combos.ra")}) WITH ORDINALITY AS r(k, o), unnest(${orNone("combos.ca")}) WITH ORDINALITY AS c(k, o)
               GROUP BY combos.parent, r.k, c.k)`,
  ])}
    SELECT cells.*, rl.label AS row_label, cl.label AS column_label FROM cells LEFT JOIN rl ON rl.k = cells.rk LEFT JOIN cl ON cl.k = cells.ck`;
  const result = new Map<string, CrossTab>();
  for (const [parent, cells] of byParent(await run<CellRow>(sql, base.params.values), parents)) {
    const grandTotal = cells.reduce((sum, cell) => sum + cell.total_part, 0);
    result.set(parent, {
      grandTotal,
      rows: headers(
        rows,
        totals(
          cells,
          (c) => c.rk,
          (c) => c.row_part,
          (c) => c.row_label,
        ),
        grandTotal,
      ),
      columns: headers(
        columns,
        totals(
          cells,
          (c) => c.ck,
          (c) => c.column_part,
          (c) => c.column_label,
        ),
        grandTotal,
      ),
      cells: cells
        .map((cell) => ({ row: cell.rk ?? NONE_KEY, column: cell.ck ?? NONE_KEY, count: cell.n }))
        .sort((a, b) => b.count - a.count || (a.row < b.row ? -1 : a.row > b.row ? 1 : a.column < b.column ? -1 : a.column > b.column ? 1 : 0)),
    });
  }
  return result;
}
