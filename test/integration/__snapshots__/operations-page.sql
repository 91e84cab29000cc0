-- 1 statement

SELECT e.id, e.key, e.name, e.categories, e.actor_type, e.name COLLATE reader_order AS "__sort" FROM operation e WHERE true ORDER BY e.name COLLATE reader_order ASC, e.id ASC LIMIT 21;
