-- 2 statements

SELECT e.* FROM country e WHERE e.code = ANY($1);

SELECT e.id, e.key, e.name COLLATE reader_order AS "__sort" FROM operation e WHERE EXISTS (SELECT 1 FROM operation_origin x WHERE x.operation_id = e.id AND x.country_code = ANY($1::bpchar[])) AND e.categories && $2::text[] AND EXISTS (SELECT 1 FROM operation_report x JOIN report r ON r.id = x.report_id WHERE x.operation_id = e.id AND r.published_on >= $3::date) ORDER BY e.name COLLATE reader_order ASC, e.id ASC LIMIT 11;
