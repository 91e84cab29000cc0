-- 1 statement

WITH f AS NOT MATERIALIZED (SELECT '0'::text AS parent, x.* FROM operation_facts x WHERE true),
key_labels AS (SELECT NULL::text AS k, NULL::text AS label WHERE false),
combos AS (SELECT f.parent, CASE WHEN f.first_disclosed IS NULL THEN ARRAY[NULL::date] WHEN true THEN ARRAY[date_trunc('year', f.first_disclosed)::date] ELSE '{}'::date[] END AS starts, ARRAY[NULL::text] AS keys, count(*)::int AS w FROM f GROUP BY 1, 2, 3),
placed AS (SELECT combos.parent, s.start, u.k, u.o, combos.w FROM combos, unnest(combos.starts) AS s(start), unnest(combos.keys) WITH ORDINALITY AS u(k, o) WHERE true),
counted AS (SELECT 'S' AS kind, parent, start, k, sum(w)::int AS n FROM placed WHERE start IS NOT NULL GROUP BY parent, start, k
                 UNION ALL SELECT 'T', parent, start, NULL, sum(w)::int FROM placed WHERE o = 1 GROUP BY parent, start)
    SELECT counted.kind, counted.parent, counted.start::text AS start, counted.k, key_labels.label, counted.n
    FROM counted LEFT JOIN key_labels ON key_labels.k = counted.k;
