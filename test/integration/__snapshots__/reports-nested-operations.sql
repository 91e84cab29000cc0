-- 3 statements

SELECT e.id, e.key, e.publisher_id, e.published_on AS "__sort" FROM report e WHERE true ORDER BY e.published_on DESC, e.id DESC LIMIT 11;

SELECT p.parent AS "__parent", t."__total", x.* FROM unnest($1::int[]) AS p(parent)
    CROSS JOIN LATERAL (SELECT count(*)::int AS "__total" FROM operation e JOIN operation_report l ON l.operation_id = e.id WHERE l.report_id = p.parent AND true) t
    LEFT JOIN LATERAL (SELECT e.id, e.key, e.name COLLATE reader_order AS "__sort" FROM operation e JOIN operation_report l ON l.operation_id = e.id WHERE l.report_id = p.parent AND true ORDER BY e.name COLLATE reader_order ASC, e.id ASC LIMIT 6) x ON true;

SELECT x.operation_id, x.confidence AS edge_confidence, x.position AS edge_position, c.code FROM operation_origin x JOIN country c ON c.code = x.country_code
       WHERE x.operation_id = ANY($1::int[]) ORDER BY x.operation_id, x.position, x.country_code;
