-- 1 statement

SELECT e.id, e.key, e.name, e.name COLLATE reader_order AS "__sort" FROM operation e WHERE operation_search_vector(e.name, e.aliases, e.summary) @@ (websearch_to_tsquery('simple', $1::text) || websearch_to_tsquery('english', $1::text)) ORDER BY e.name COLLATE reader_order ASC, e.id ASC LIMIT 11;
