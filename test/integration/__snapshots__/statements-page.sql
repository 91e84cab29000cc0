-- 3 statements

SELECT e.* FROM company e WHERE e.id = ANY($1);

SELECT e.* FROM country e WHERE e.code = ANY($1);

SELECT e.id, e.key, e.speaker, e.organization_id, e.country_code, e.said_on, COALESCE(e.said_on, DATE '0001-01-01') AS "__sort" FROM statement e WHERE true ORDER BY COALESCE(e.said_on, DATE '0001-01-01') DESC, e.id DESC LIMIT 21;
