-- 1 statement

SELECT 0 AS parent, count(*)::int AS n FROM operation e WHERE e.categories && $1::text[];
