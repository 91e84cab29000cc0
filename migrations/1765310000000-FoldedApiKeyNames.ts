import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Unicode dash punctuation (general category Pd) that NFKC leaves as it is, and the minus sign:
 * each counts as an ASCII hyphen in a key name. Written as escapes so the file stays ASCII.
 */
const DASHES = String.raw`\058A\05BE\1400\1806\2010\2011\2012\2013\2014\2015\2E17\2E1A\2E3A\2E3B\2E40\2E5D\301C\3030\30A0\2212\+010EAD`;

/**
 * API key names become unique as a reader sees them, not byte for byte: `rel-editor`,
 * `REL-EDITOR`, `rel‐editor` (U+2010), `rel-editor ` and a full-width `ｒel-editor` are one name.
 * `api_key_name_fold(name)` is the compared form: NFKC (full-width and other compatibility forms
 * to their plain letters), Unicode dashes to '-', lower case (beyond ASCII too), surrounding white
 * space trimmed; a unique index on it decides, and the service asks the same function which key
 * holds a name.
 * Keys that already share a folded name keep the oldest one's name; the others get their id
 * appended (" #<id>"), as when names first became unique.
 */
export class FoldedApiKeyNames1765310000000 implements MigrationInterface {
  name = "FoldedApiKeyNames1765310000000";

  public async up(q: QueryRunner): Promise<void> {
    // Lower case by ICU's root locale where the server has it, so letters beyond ASCII fold the same
    // whatever the database's LC_CTYPE (under "C", lower() leaves "É" as it is).
    const [{ icu }] = await q.query(`SELECT EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu') AS icu`);
    const dashed = `translate(normalize(name, NFKC), U&'${DASHES}', repeat('-', length(U&'${DASHES}')))`;
    const lowered = icu ? `lower(${dashed} COLLATE "und-x-icu")` : `lower(${dashed})`;
    await q.query(`CREATE FUNCTION api_key_name_fold(name text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      RETURN regexp_replace(${lowered}, '^\\s+|\\s+$', '', 'g')`);
    await q.query(
      `UPDATE api_key k SET name = k.name || ' #' || k.id
       WHERE EXISTS (SELECT 1 FROM api_key o WHERE api_key_name_fold(o.name) = api_key_name_fold(k.name) AND o.id < k.id)`,
    );
    await q.query(`DROP INDEX api_key_name_unique`);
    await q.query(`CREATE UNIQUE INDEX api_key_name_folded_unique ON api_key (api_key_name_fold(name))`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX api_key_name_folded_unique`);
    await q.query(`CREATE UNIQUE INDEX api_key_name_unique ON api_key (name)`);
    await q.query(`DROP FUNCTION api_key_name_fold(text)`);
  }
}
