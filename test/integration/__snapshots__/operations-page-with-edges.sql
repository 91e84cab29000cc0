-- 4 statements

SELECT e.id, e.key, e.name, e.name COLLATE reader_order AS "__sort", (SELECT COALESCE(json_agg(r), '[]') FROM (SELECT p.parent AS "__parent", x.* FROM (SELECT e.id AS parent) AS p CROSS JOIN LATERAL (SELECT e.id, e.key, e.publisher_id, e.published_on AS "__sort", (SELECT json_build_object('id', c.id, 'key', c.key, 'name', c.name, 'hq_country_code', c.hq_country_code) FROM company c WHERE c.id = e.publisher_id) AS "__0" FROM report e JOIN operation_report l ON l.report_id = e.id WHERE l.operation_id = p.parent AND true ORDER BY e.published_on DESC, e.id DESC LIMIT 6) x) r) AS "__0" FROM operation e WHERE true ORDER BY e.name COLLATE reader_order ASC, e.id ASC LIMIT 51;

SELECT x.operation_id, x.confidence AS edge_confidence, x.position AS edge_position, c.code, c.name FROM operation_origin x JOIN country c ON c.code = x.country_code
       WHERE x.operation_id = ANY($1::int[]) ORDER BY x.operation_id, x.position, x.country_code;

SELECT x.operation_id, x.position AS edge_position, c.code FROM operation_target x JOIN country c ON c.code = x.country_code
       WHERE x.operation_id = ANY($1::int[]) ORDER BY x.operation_id, x.position, x.country_code;

SELECT x.operation_id, x.role AS edge_role, x.position AS edge_position, c.id, c.key, c.hq_country_code FROM operation_company x JOIN company c ON c.id = x.company_id
       WHERE x.operation_id = ANY($1::int[]) ORDER BY x.operation_id, x.role, x.position, x.company_id;
