-- 1 statement

SELECT e.id, e.key, (SELECT COALESCE(json_agg(r), '[]') FROM (SELECT p.parent AS "__parent", t."__total", x.* FROM (SELECT e.id AS parent) AS p
    CROSS JOIN LATERAL (SELECT count(*)::int AS "__total" FROM report e JOIN operation_report l ON l.report_id = e.id WHERE l.operation_id = p.parent AND true) t
    LEFT JOIN LATERAL (SELECT e.id, e.key, e.title, e.publisher_id, e.published_on AS "__sort", (SELECT json_build_object('id', c.id, 'key', c.key, 'name', c.name, 'hq_country_code', c.hq_country_code) FROM company c WHERE c.id = e.publisher_id) AS "__0" FROM report e JOIN operation_report l ON l.report_id = e.id WHERE l.operation_id = p.parent AND true ORDER BY e.published_on DESC, e.id DESC LIMIT 11) x ON true) r) AS "__0" FROM operation e WHERE e.key = $1;
