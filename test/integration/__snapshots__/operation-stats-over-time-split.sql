-- 1 statement

WITH f AS NOT MATERIALIZED (SELECT '0'::text AS parent, o.*, x.report_id AS d_report_id, r.key AS d_report, c.key AS d_publisher, r.published_on AS d_date,
      x.breakout_scale AS d_scale, x.accounts_banned AS d_accounts
    FROM operation_facts o
    LEFT JOIN (operation_report x JOIN report r ON r.id = x.report_id JOIN company c ON c.id = r.publisher_id)
      ON x.operation_id = o.id
    WHERE true),
key_labels AS (SELECT key AS k, name AS label FROM company),
rows AS (SELECT f.parent, f.id AS rec, f.d_date AS d, u.k FROM f, unnest((CASE WHEN cardinality((CASE WHEN f.d_publisher IS NULL THEN '{}'::text[] ELSE ARRAY[f.d_publisher::text] END)) = 0 THEN ARRAY[NULL::text] ELSE (CASE WHEN f.d_publisher IS NULL THEN '{}'::text[] ELSE ARRAY[f.d_publisher::text] END) END)) AS u(k) WHERE true),
placed AS (SELECT DISTINCT parent, rec, CASE WHEN d IS NULL THEN NULL ELSE date_trunc('quarter', d)::date END AS start, k FROM rows WHERE d IS NULL OR (true)),
counted AS (SELECT 'S' AS kind, parent, start, k, count(*)::int AS n FROM placed WHERE start IS NOT NULL GROUP BY parent, start, k
                   UNION ALL SELECT 'T', parent, start, NULL, count(DISTINCT rec)::int FROM placed GROUP BY parent, start)
    SELECT counted.kind, counted.parent, counted.start::text AS start, counted.k, key_labels.label, counted.n
    FROM counted LEFT JOIN key_labels ON key_labels.k = counted.k;
