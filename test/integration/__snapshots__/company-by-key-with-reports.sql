-- 2 statements

SELECT e.*, (SELECT COALESCE(json_agg(r), '[]') FROM (SELECT p.parent AS "__parent", t."__total", x.* FROM (SELECT e.id AS parent) AS p
    CROSS JOIN LATERAL (SELECT count(*)::int AS "__total" FROM report e WHERE e.publisher_id = p.parent AND true) t
    LEFT JOIN LATERAL (SELECT e.id, e.key, e.publisher_id, e.published_on AS "__sort" FROM report e WHERE e.publisher_id = p.parent AND true ORDER BY e.published_on DESC, e.id DESC LIMIT 11) x ON true) r) AS "__0" FROM company e WHERE e.key = $1;

SELECT p.parent AS "__parent", x.* FROM (SELECT $1::int AS parent) AS p CROSS JOIN LATERAL (SELECT e.id, e.key, e.name COLLATE reader_order AS "__sort" FROM operation e JOIN operation_company l ON l.operation_id = e.id AND l.role = 'AI_TOOL' WHERE l.company_id = p.parent AND true ORDER BY e.name COLLATE reader_order ASC, e.id ASC LIMIT 6) x;
