-- 1 statement

SELECT (SELECT json_build_object('nodes', COALESCE(json_agg(r."__c0" ORDER BY r."__i" ASC) FILTER (WHERE r.id IS NOT NULL AND r."__i" <= 10), '[]')) FROM (SELECT q.*, row_number() OVER () AS "__i" FROM (SELECT e.id, e.name COLLATE reader_order AS "__sort", json_build_object('key', e.key, 'name', e.name) AS "__c0" FROM operation e WHERE operation_search_vector(e.name, e.aliases, e.summary) @@ (websearch_to_tsquery('simple', $1::text) || websearch_to_tsquery('english', $1::text)) ORDER BY e.name COLLATE reader_order ASC, e.id ASC LIMIT 11) q) r GROUP BY ()) AS j;
