import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Full-text search (`filter.text`, `orderBy: RELEVANCE`): one IMMUTABLE function per table building
 * its tsvector, and a GIN index on that expression (src/common/search.ts writes the same calls).
 * Names, aliases and speakers use the 'simple' configuration with weight A; titles, summaries and
 * quotes use 'simple' and 'english' (stemmed) with weight D, so name matches rank first.
 * `array_to_string` is only STABLE in general but is immutable for text[], hence the wrapper.
 */
const FUNCTIONS: [table: string, signature: string, body: string][] = [
  [
    "operation",
    "operation_search_vector(name text, aliases text[], summary text)",
    `setweight(to_tsvector('simple', name || ' ' || array_to_string(aliases, ' ')), 'A')
      || setweight(to_tsvector('simple', summary), 'D') || setweight(to_tsvector('english', summary), 'D')`,
  ],
  [
    "report",
    "report_search_vector(title text, summary text)",
    `setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('english', title), 'A')
      || setweight(to_tsvector('simple', summary), 'D') || setweight(to_tsvector('english', summary), 'D')`,
  ],
  [
    "statement",
    "statement_search_vector(speaker text, quote text)",
    `setweight(to_tsvector('simple', speaker), 'A')
      || setweight(to_tsvector('simple', quote), 'D') || setweight(to_tsvector('english', quote), 'D')`,
  ],
  ["company", "company_search_vector(name text)", `setweight(to_tsvector('simple', name), 'A')`],
];

const INDEXES: [name: string, table: string, expression: string][] = [
  ["operation_search_idx", "operation", "operation_search_vector(name, aliases, summary)"],
  ["report_search_idx", "report", "report_search_vector(title, summary)"],
  ["statement_search_idx", "statement", "statement_search_vector(speaker, quote)"],
  ["company_search_idx", "company", "company_search_vector(name)"],
];

export class FullTextSearch1765000000000 implements MigrationInterface {
  name = "FullTextSearch1765000000000";

  public async up(q: QueryRunner): Promise<void> {
    for (const [, signature, body] of FUNCTIONS) {
      await q.query(`CREATE FUNCTION ${signature} RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$ SELECT ${body} $fn$`);
    }
    for (const [name, table, expression] of INDEXES) await q.query(`CREATE INDEX ${name} ON ${table} USING gin (${expression})`);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const [name] of INDEXES) await q.query(`DROP INDEX ${name}`);
    for (const [, signature] of FUNCTIONS) await q.query(`DROP FUNCTION ${signature.split("(")[0]}`);
  }
}
