-- 1 statement

WITH f AS NOT MATERIALIZED (SELECT '0'::text AS parent, x.* FROM operation_facts x WHERE true),
labels AS (SELECT key AS k, name AS label FROM company),
records AS (SELECT f.parent, f.publishers AS vals FROM f),
combos AS MATERIALIZED (SELECT records.parent, records.vals, count(*)::int AS w FROM records GROUP BY 1, 2),
counts AS MATERIALIZED (SELECT combos.parent, u.k, sum(w)::int AS n FROM combos, unnest((CASE WHEN cardinality(combos.vals) = 0 THEN ARRAY[NULL::text] ELSE combos.vals END)) AS u(k) GROUP BY 1, 2),
top AS (SELECT parent, k, n FROM (SELECT parent, k, n, row_number() OVER (PARTITION BY parent ORDER BY n DESC, k COLLATE "C") AS rn FROM counts WHERE k IS NOT NULL) ranked
             WHERE rn <= $1::int),
top_keys AS (SELECT parent, array_agg(k) AS keys, count(*)::int AS listed FROM top GROUP BY parent)
    SELECT 'VALUE' AS kind, top.parent, top.k, labels.label, top.n FROM top LEFT JOIN labels ON labels.k = top.k
    UNION ALL SELECT 'NONE', parent, NULL, NULL, n FROM counts WHERE k IS NULL
    UNION ALL SELECT 'TOTAL', parent, NULL, NULL, sum(w)::int FROM combos GROUP BY parent
    UNION ALL SELECT 'REMAINING', c.parent, NULL, NULL, (count(*) - COALESCE(max(t.listed), 0))::int FROM counts c LEFT JOIN top_keys t ON t.parent = c.parent WHERE c.k IS NOT NULL GROUP BY c.parent
    UNION ALL SELECT 'OTHER', c.parent, NULL, NULL, sum(w)::int FROM combos c LEFT JOIN top_keys t ON t.parent = c.parent
      WHERE true AND NOT (array_remove(c.vals, NULL) <@ COALESCE(t.keys, '{}')) GROUP BY c.parent;
