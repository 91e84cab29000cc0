-- 1 statement

SELECT e.id, e.key, e.title, e.publisher_id, e.published_on, e.published_on AS "__sort", (SELECT json_build_object('id', c.id, 'key', c.key, 'name', c.name, 'hq_country_code', c.hq_country_code) FROM company c WHERE c.id = e.publisher_id) AS "__0" FROM report e WHERE true ORDER BY e.published_on DESC, e.id DESC LIMIT 21;
