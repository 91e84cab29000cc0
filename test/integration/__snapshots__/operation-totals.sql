-- 1 statement

WITH f AS NOT MATERIALIZED (SELECT '0'::text AS parent, x.* FROM operation_facts x WHERE true),
    stated AS ((SELECT DISTINCT ON (f.parent, f.id, r.publisher_id) f.parent, f.id, x.accounts_banned AS n
               FROM f JOIN operation_report x ON x.operation_id = f.id AND x.accounts_banned IS NOT NULL JOIN report r ON r.id = x.report_id
               ORDER BY f.parent, f.id, r.publisher_id, r.published_on DESC, r.key DESC)
               UNION ALL
               SELECT f.parent, f.id, f.accounts_banned FROM f WHERE f.accounts_banned IS NOT NULL
                 AND NOT EXISTS (SELECT 1 FROM operation_report y WHERE y.operation_id = f.id AND y.accounts_banned IS NOT NULL)),
    banned AS (SELECT parent, sum(n)::int AS n, count(DISTINCT id)::int AS operations FROM stated GROUP BY parent),
    sums AS (SELECT f.parent, count(*)::int AS operations, COALESCE(sum(cardinality(f.reports)), 0)::int AS disclosures FROM f GROUP BY f.parent)
    SELECT sums.*, COALESCE(r.n, 0)::int AS reports, COALESCE(banned.n, 0)::int AS "accountsBanned", COALESCE(banned.operations, 0)::int AS "operationsStatingAccountsBanned"
    FROM sums LEFT JOIN banned ON banned.parent = sums.parent CROSS JOIN (SELECT count(*)::int AS n FROM report r WHERE EXISTS (SELECT 1 FROM operation_report x JOIN f ON f.id = x.operation_id WHERE x.report_id = r.id)) r;
