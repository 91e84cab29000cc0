-- 1 statement

SELECT t."__total", x.* FROM (SELECT COALESCE((SELECT sum(c.operations)::int FROM operation_count c WHERE c.facet = 'ALL' AND c.value = ''), 0) AS "__total") t
      LEFT JOIN LATERAL (SELECT e.id, e.key, e.name COLLATE reader_order AS "__sort" FROM operation e WHERE true ORDER BY e.name COLLATE reader_order ASC, e.id ASC LIMIT 6) x ON true;
