-- 1 statement

SELECT e.id, e.key, e.title, e.publisher_id, (SELECT COALESCE(json_agg(r), '[]') FROM (SELECT p.parent AS "__parent", x.* FROM (SELECT e.id AS parent) AS p CROSS JOIN LATERAL (SELECT e.id, e.key, e.name, e.name COLLATE reader_order AS "__sort" FROM operation e JOIN operation_report l ON l.operation_id = e.id WHERE l.report_id = p.parent AND true ORDER BY e.name COLLATE reader_order ASC, e.id ASC LIMIT 21) x) r) AS "__0" FROM report e WHERE e.key = $1;
