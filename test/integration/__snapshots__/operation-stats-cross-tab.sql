-- 1 statement

WITH f AS NOT MATERIALIZED (SELECT '0'::text AS parent, x.* FROM operation_facts x WHERE true),
rl AS (SELECT NULL::text AS k, NULL::text AS label WHERE false),
cl AS (SELECT code::text AS k, name AS label FROM country),
combos AS (SELECT f.parent, f.categories AS ra, f.origin_countries AS ca, count(*)::int AS w FROM f GROUP BY 1, 2, 3),
pairs AS (SELECT combos.parent, r.k AS rk, c.k AS ck, combos.w, r.o AS ro, c.o AS co
                 FROM combos, unnest((CASE WHEN cardinality(combos.ra) = 0 THEN ARRAY[NULL::text] ELSE combos.ra END)) WITH ORDINALITY AS r(k, o), unnest((CASE WHEN cardinality(combos.ca) = 0 THEN ARRAY[NULL::text] ELSE combos.ca END)) WITH ORDINALITY AS c(k, o)),
    tab AS (SELECT 'C' AS kind, parent, rk, ck, sum(w)::int AS n FROM pairs GROUP BY parent, rk, ck UNION ALL SELECT 'R' AS kind, parent, rk, NULL AS ck, sum(w) FILTER (WHERE co = 1)::int AS n FROM pairs GROUP BY parent, rk
      UNION ALL SELECT 'K', parent, NULL, ck, sum(w) FILTER (WHERE ro = 1)::int FROM pairs GROUP BY parent, ck
      UNION ALL SELECT 'G', parent, NULL, NULL, sum(w) FILTER (WHERE ro = 1 AND co = 1)::int FROM pairs GROUP BY parent)
    SELECT tab.*, rl.label AS row_label, cl.label AS column_label FROM tab LEFT JOIN rl ON rl.k = tab.rk LEFT JOIN cl ON cl.k = tab.ck;
