-- 1 statement

SELECT (SELECT json_build_object('totalCount', r."__total") FROM (SELECT count(*)::int AS "__total" FROM operation e WHERE e.categories && $1::text[]) r) AS j;
