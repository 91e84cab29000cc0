import type { Bucket, CrossTab } from "../stats.types";
import { NONE_KEY, byCountThenKey, byParent, labelsCte, noneBucket, orNone, valueBucket, withClause } from "./dimension";
import type { Dimension, Run, StatsBase } from "./dimension";

/** One row of the cross-tab statement: a cell (`C`), a row total (`R`), a column total (`K`) or the grand total (`G`). */
interface TabRow {
  kind: "C" | "R" | "K" | "G";
  parent: string;
  rk: string | null;
  ck: string | null;
  n: number;
  row_label: string | null;
  column_label: string | null;
}

/** The pairs of keys each record contributes, per parent, with the SQL of its distinct records (`w` records per combination). */
function pairsSql(base: StatsBase, rows: Dimension, columns: Dimension): string[] {
  if (!base.record) {
    // A row of f is a record: its pairs are the cross product of its two key arrays.
    return [
      `combos AS (SELECT f.parent, ${rows.values} AS ra, ${columns.values} AS ca, count(*)::int AS w FROM f GROUP BY 1, 2, 3)`,
      `pairs AS (SELECT combos.parent, r.k AS rk, c.k AS ck, combos.w, r.o AS ro, c.o AS co
                 FROM combos, unnest(${orNone("combos.ra")}) WITH ORDINALITY AS r(k, o), unnest(${orNone("combos.ca")}) WITH ORDINALITY AS c(k, o))`,
    ];
  }
  // Disclosure grain: a record's pairs are the union over its rows of each row's cross product, so
  // two disclosure attributes pair only within one disclosure; every pair counts the record once.
  return [
    `pairs AS (SELECT DISTINCT f.parent, ${base.record} AS rec, r.k AS rk, c.k AS ck FROM f, unnest(${orNone(rows.values)}) AS r(k), unnest(${orNone(columns.values)}) AS c(k))`,
  ];
}

/** Totals per row or column key, and the grand total: distinct records, from the pairs. */
function totalsSql(base: StatsBase): string {
  if (!base.record) {
    return `SELECT 'R' AS kind, parent, rk, NULL AS ck, sum(w) FILTER (WHERE co = 1)::int AS n FROM pairs GROUP BY parent, rk
      UNION ALL SELECT 'K', parent, NULL, ck, sum(w) FILTER (WHERE ro = 1)::int FROM pairs GROUP BY parent, ck
      UNION ALL SELECT 'G', parent, NULL, NULL, sum(w) FILTER (WHERE ro = 1 AND co = 1)::int FROM pairs GROUP BY parent`;
  }
  return `SELECT 'R' AS kind, parent, rk, NULL AS ck, count(DISTINCT rec)::int AS n FROM pairs GROUP BY parent, rk
      UNION ALL SELECT 'K', parent, NULL, ck, count(DISTINCT rec)::int FROM pairs GROUP BY parent, ck
      UNION ALL SELECT 'G', parent, NULL, NULL, count(DISTINCT rec)::int FROM pairs GROUP BY parent`;
}

/** Where a side of the table finds its totals in the statement's rows: their kind, key and label. */
type Side = { kind: "R"; key: "rk"; label: "row_label" } | { kind: "K"; key: "ck"; label: "column_label" };
const ROWS: Side = { kind: "R", key: "rk", label: "row_label" };
const COLUMNS: Side = { kind: "K", key: "ck", label: "column_label" };

/** The buckets of one side: its values by count, then NONE. */
function headers(dimension: Dimension, own: TabRow[], side: Side, grandTotal: number): Bucket[] {
  const totals = own.filter((row) => row.kind === side.kind && row.n > 0);
  const values = totals.filter((row) => row[side.key] !== null).map((row) => valueBucket(dimension, row[side.key]!, row[side.label], row.n, grandTotal));
  const none = totals.find((row) => row[side.key] === null);
  return [...values.sort(byCountThenKey), ...(none ? [noneBucket(none.n, grandTotal)] : [])];
}

/**
 * Distinct records per pair of values of two dimensions, with row, column and grand totals, for
 * every parent in one statement. A record contributes each pair of keys it has (at disclosure grain,
 * each pair found in one of its disclosures) once; row and column totals count distinct records
 * per key, so a record with two keys on one side counts once in the other side's total. Records
 * without a value sit in NONE rows/columns.
 */
export async function crossTab(run: Run, base: StatsBase, rows: Dimension, columns: Dimension, parents: readonly string[]): Promise<Map<string, CrossTab>> {
  const cellCount = base.record ? "count(*)::int" : "sum(w)::int";
  const sql = `${withClause(base, [labelsCte("rl", rows), labelsCte("cl", columns), ...pairsSql(base, rows, columns)])},
    tab AS (SELECT 'C' AS kind, parent, rk, ck, ${cellCount} AS n FROM pairs GROUP BY parent, rk, ck UNION ALL ${totalsSql(base)})
    SELECT tab.*, rl.label AS row_label, cl.label AS column_label FROM tab LEFT JOIN rl ON rl.k = tab.rk LEFT JOIN cl ON cl.k = tab.ck`;
  const result = new Map<string, CrossTab>();
  for (const [parent, own] of byParent(await run<TabRow>(sql, base.params.values), parents)) {
    const of = (kind: TabRow["kind"]) => own.filter((row) => row.kind === kind);
    const grandTotal = of("G")[0]?.n ?? 0;
    result.set(parent, {
      grandTotal,
      rows: headers(rows, own, ROWS, grandTotal),
      columns: headers(columns, own, COLUMNS, grandTotal),
      cells: of("C")
        .map((cell) => ({ row: cell.rk ?? NONE_KEY, column: cell.ck ?? NONE_KEY, count: cell.n }))
        .sort((a, b) => b.count - a.count || (a.row < b.row ? -1 : a.row > b.row ? 1 : a.column < b.column ? -1 : a.column > b.column ? 1 : 0)),
    });
  }
  return result;
}
