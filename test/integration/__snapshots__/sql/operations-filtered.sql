-- 2 statements

SELECT (SELECT json_build_object('nodes', COALESCE(json_agg(r."__c0" ORDER BY r."__i" ASC) FILTER (WHERE r.id IS NOT NULL AND r."__i" <= 10), '[]')) FROM (SELECT q.*, row_number() OVER () AS "__i" FROM (SELECT e.id, e.name COLLATE reader_order AS "__sort", json_build_object('key', e.key) AS "__c0" FROM operation e WHERE EXISTS (SELECT 1 FROM operation_origin x WHERE x.operation_id = e.id AND x.country_code = ANY($1::bpchar[])) AND e.categories && $2::text[] AND EXISTS (SELECT 1 FROM operation_report x JOIN report r ON r.id = x.report_id WHERE x.operation_id = e.id AND r.published_on >= $3::date) ORDER BY e.name COLLATE reader_order ASC, e.id ASC LIMIT 11) q) r GROUP BY ()) AS j;

SELECT e.* FROM country e WHERE e.code = ANY($1);
