/**
 * SQL fragments the record declarations' export columns share (over the entity alias `e`). Names
 * are looked up per value by primary key rather than joined: a join inside a per-row subquery makes
 * the planner hash the whole country or company table once per exported row.
 */

/** The values of `select` over `from`, in `order`, as one array. */
export const list = (select: string, from: string, order: string) => `ARRAY(SELECT ${select} FROM ${from} ORDER BY ${order})`;

/** The name of the country with code `code`. */
export const countryName = (code: string) => `(SELECT c.name FROM country c WHERE c.code = ${code})`;

/** The key or name of the company with id `id`. */
export const companyField = (field: "key" | "name", id: string) => `(SELECT c.${field} FROM company c WHERE c.id = ${id})`;
