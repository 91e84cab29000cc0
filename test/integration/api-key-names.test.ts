import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { createApiKey, DuplicateKeyName, Role } from "../../src/modules/auth";
import { FoldedApiKeyNames1765310000000 } from "../../migrations/1765310000000-FoldedApiKeyNames";

const run = promisify(execFile);
let t: TestApp;
let holder: number;

beforeAll(async () => {
  t = await startTestApp({ loadDataset: false });
  const build = spawnSync(process.execPath, ["scripts/build-if-stale.js"], { cwd: ROOT, encoding: "utf8", timeout: 240_000 });
  expect(build.status, build.stdout + build.stderr).toBe(0);
  holder = (await createApiKey(t.app.dataSource, "rel-editor", Role.EDITOR)).record.id;
}, 250_000);
afterAll(async () => {
  await t?.close();
});

// Names a reader takes for `rel-editor`, each written with explicit code points.
const SAME_NAME: [what: string, name: string][] = [
  ["the same bytes", "rel-editor"],
  ["upper case", "REL-EDITOR"],
  ["a U+2010 HYPHEN", "rel\u2010editor"],
  ["a trailing space", "rel-editor "],
  ["a full-width letter (U+FF52)", "\uff52el-editor"],
  ["an em dash, mixed case and a leading ideographic space", "\u3000Rel\u2014Editor"],
  ["a minus sign (U+2212) and a trailing tab", "rel\u2212editor\t"],
];

const keysNamedLikeRelEditor = () => t.sql<{ id: number; name: string }>(`SELECT id, name FROM api_key WHERE name ILIKE '%editor%' ORDER BY id`);

describe("API key names are compared as a reader sees them", () => {
  for (const [what, name] of SAME_NAME) {
    it(`refuse ${what} once rel-editor exists, in the service and in the database`, async () => {
      const refusal = await createApiKey(t.app.dataSource, name, Role.ADMIN).then(
        () => null,
        (error: Error) => error,
      );
      expect(refusal).toBeInstanceOf(DuplicateKeyName);
      expect(refusal!.message).toContain(`an API key named "rel-editor" already exists (id ${holder})`);
      if (name !== "rel-editor") expect(refusal!.message).toContain(`"${name}" counts as the same name`);

      // Written past the service, the database refuses it too.
      await expect(t.sql(`INSERT INTO api_key (name, role, key_hash, key_prefix) VALUES ($1, 'admin', md5(random()::text), 'mg_x')`, [name])).rejects.toThrow(
        /api_key_name_folded_unique/,
      );
      expect(await keysNamedLikeRelEditor()).toEqual([{ id: holder, name: "rel-editor" }]);
    });
  }

  it("fold letters beyond ASCII too", async () => {
    const { record } = await createApiKey(t.app.dataSource, "\u00c9diteur-\u00c4rzte", Role.EDITOR);
    await expect(createApiKey(t.app.dataSource, "\u00e9diteur-\u00e4rzte", Role.EDITOR)).rejects.toThrow(
      `an API key named "\u00c9diteur-\u00c4rzte" already exists (id ${record.id})`,
    );
  });

  it("keep names that differ in letters, digits or punctuation apart", async () => {
    for (const name of ["rel-editors", "rel_editor", "releditor", "rel-editor-2"]) {
      expect((await createApiKey(t.app.dataSource, name, Role.EDITOR)).record.name).toBe(name);
    }
    expect((await keysNamedLikeRelEditor()).map((k) => k.name)).toEqual(["rel-editor", "rel-editors", "rel_editor", "releditor", "rel-editor-2"]);
  });

  it("are refused by `apikey create` with the key that holds the name, creating nothing", async () => {
    const before = await t.sql(`SELECT count(*)::int AS n FROM api_key`);
    const refused = await run(process.execPath, ["dist/src/cli/apikey.js", "create", "--name", "REL\u2010Editor", "--role", "admin"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: t.databaseUrl },
      timeout: 120_000,
    }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(refused?.code).toBe(1);
    expect(refused?.stderr).toContain(`apikey: an API key named "rel-editor" already exists (id ${holder}); "REL\u2010Editor" counts as the same name`);
    expect(await t.sql(`SELECT count(*)::int AS n FROM api_key`)).toEqual(before);
  });
});

describe("the migration that folds names", () => {
  it("renames keys that already share a folded name (the oldest keeps it) and can be undone", async () => {
    const runner = t.app.dataSource.createQueryRunner();
    try {
      const migration = new FoldedApiKeyNames1765310000000();
      await migration.down(runner);
      // Byte for byte, as before the migration: both are accepted.
      const [{ id: upper }] = await runner.query(
        `INSERT INTO api_key (name, role, key_hash, key_prefix) VALUES ('REL-EDITOR', 'admin', 'hash-upper', 'mg_x') RETURNING id`,
      );
      const [{ id: spaced }] = await runner.query(
        `INSERT INTO api_key (name, role, key_hash, key_prefix) VALUES ('rel-editors ', 'admin', 'hash-spaced', 'mg_x') RETURNING id`,
      );
      await migration.up(runner);
      expect(await t.sql(`SELECT id, name FROM api_key WHERE id IN ($1, $2, $3) ORDER BY id`, [holder, upper, spaced])).toEqual([
        { id: holder, name: "rel-editor" },
        { id: upper, name: `REL-EDITOR #${upper}` },
        { id: spaced, name: `rel-editors  #${spaced}` },
      ]);
      await expect(createApiKey(t.app.dataSource, "Rel-Editor", Role.EDITOR)).rejects.toThrow(`an API key named "rel-editor" already exists (id ${holder})`);
    } finally {
      await runner.release();
    }
  });
});
