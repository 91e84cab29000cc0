import { BucketKind } from "../stats.enums";
import type { Distribution } from "../stats.types";
import { OTHER_KEY, OTHER_LABEL, byCountThenKey, byParent, labelsCte, noneBucket, orNone, share, valueBucket, withClause } from "./dimension";
import type { Dimension, Run, StatsBase } from "./dimension";

/**
 * Distinct records per value of one dimension, for every parent, in one statement: the top `limit`
 * values, an OTHER bucket counting the distinct records in all remaining values, and a NONE bucket
 * for records without a value. Unnesting each record's keys WITH ORDINALITY, the rows with
 * ordinality 1 count each record once, so the denominator needs no second pass.
 */
export async function distribution(
  run: Run,
  base: StatsBase,
  dimension: Dimension,
  limit: number,
  includeOther: boolean,
  parents: readonly string[],
): Promise<Map<string, Distribution>> {
  const limitParam = base.params.add(limit);
  // A record's keys: its row's array, or at disclosure grain the distinct keys of all its rows (NULL
  // standing for a row without a value), so each record counts once per key.
  const records = base.record
    ? `records AS (SELECT f.parent, array_agg(DISTINCT u.k) AS vals FROM f, unnest(${orNone(dimension.values)}) AS u(k) GROUP BY f.parent, ${base.record})`
    : `records AS (SELECT f.parent, ${dimension.values} AS vals FROM f)`;
  const sql = `${withClause(base, [
    labelsCte("labels", dimension),
    records,
    `combos AS MATERIALIZED (SELECT records.parent, records.vals, count(*)::int AS w FROM records GROUP BY 1, 2)`,
    `counts AS MATERIALIZED (SELECT combos.parent, u.k, sum(w)::int AS n FROM combos, unnest(${orNone("combos.vals")}) AS u(k) GROUP BY 1, 2)`,
    `top AS (SELECT parent, k, n FROM (SELECT parent, k, n, row_number() OVER (PARTITION BY parent ORDER BY n DESC, k COLLATE "C") AS rn FROM counts WHERE k IS NOT NULL) ranked
             WHERE rn <= ${limitParam}::int)`,
    `top_keys AS (SELECT parent, array_agg(k) AS keys, count(*)::int AS listed FROM top GROUP BY parent)`,
  ])}
    SELECT 'VALUE' AS kind, top.parent, top.k, labels.label, top.n FROM top LEFT JOIN labels ON labels.k = top.k
    UNION ALL SELECT 'NONE', parent, NULL, NULL, n FROM counts WHERE k IS NULL
    UNION ALL SELECT 'TOTAL', parent, NULL, NULL, sum(w)::int FROM combos GROUP BY parent
    UNION ALL SELECT 'REMAINING', c.parent, NULL, NULL, (count(*) - COALESCE(max(t.listed), 0))::int FROM counts c LEFT JOIN top_keys t ON t.parent = c.parent WHERE c.k IS NOT NULL GROUP BY c.parent
    UNION ALL SELECT 'OTHER', c.parent, NULL, NULL, sum(w)::int FROM combos c LEFT JOIN top_keys t ON t.parent = c.parent
      WHERE ${includeOther ? "true" : "false"} AND NOT (array_remove(c.vals, NULL) <@ COALESCE(t.keys, '{}')) GROUP BY c.parent`;
  const rows: { kind: string; parent: string; k: string | null; label: string | null; n: number }[] = await run(sql, base.params.values);
  const result = new Map<string, Distribution>();
  for (const [parent, own] of byParent(rows, parents)) {
    const total = (kind: string) => own.find((row) => row.kind === kind)?.n ?? 0;
    const denominator = total("TOTAL");
    const buckets = own
      .filter((row) => row.kind === "VALUE")
      .map((row) => valueBucket(dimension, row.k!, row.label, row.n, denominator))
      .sort(byCountThenKey);
    if (includeOther && total("REMAINING") > 0) {
      buckets.push({ kind: BucketKind.OTHER, key: OTHER_KEY, label: OTHER_LABEL, count: total("OTHER"), share: share(total("OTHER"), denominator) });
    }
    buckets.push(noneBucket(total("NONE"), denominator));
    result.set(parent, { denominator, buckets });
  }
  return result;
}
