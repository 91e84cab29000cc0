import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// The project's own eslint.config.mjs, run through ESLint's Node API on code that is never written to disk.
const eslint = new ESLint({ cwd: path.resolve(__dirname, "../..") });

async function boundaryMessages(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === "boundaries/dependencies").map((m) => m.message);
}

describe("module boundaries", () => {
  it("reports a module importing another module's inner file", async () => {
    const messages = await boundaryMessages(
      'import { operationsConnection } from "../operation/operation.service";\nexport const list = operationsConnection;\n',
      "src/modules/report/x.ts",
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/through its index\.ts/);
  });

  it("passes the same import through the module's index", async () => {
    const messages = await boundaryMessages(
      'import { operationsConnection } from "../operation";\nexport const list = operationsConnection;\n',
      "src/modules/report/x.ts",
    );
    expect(messages).toEqual([]);
  });

  it("lets a module's own files import each other directly", async () => {
    const messages = await boundaryMessages(
      'import { reportsConnection } from "./report.service";\nexport const list = reportsConnection;\n',
      "src/modules/report/x.ts",
    );
    expect(messages).toEqual([]);
  });

  it("holds files outside the modules to the index too", async () => {
    const messages = await boundaryMessages('import { readBundle } from "../import/bundle";\nexport const read = readBundle;\n', "src/cli/x.ts");
    expect(messages).toHaveLength(1);
  });

  it("keeps src/common and the modules from importing src/http", async () => {
    const fromCommon = await boundaryMessages('import type { Route } from "../http/routes";\nexport type R = Route;\n', "src/common/x.ts");
    const fromModule = await boundaryMessages(
      'import { isDatabaseUnavailable } from "../../http/format-error";\nexport const f = isDatabaseUnavailable;\n',
      "src/modules/report/x.ts",
    );
    expect(fromCommon).toHaveLength(1);
    expect(fromModule).toHaveLength(1);
  });
});

describe("layers", () => {
  it("keeps src/common from importing a module", async () => {
    const messages = await boundaryMessages('import { Report } from "../modules/report";\nexport const r = Report;\n', "src/common/x.ts");
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/src\/common and src\/db sit below the modules/);
  });

  it("keeps src/db from importing a module", async () => {
    const messages = await boundaryMessages('import { ApiKey } from "../modules/auth";\nexport const k = ApiKey;\n', "src/db/x.ts");
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/src\/common and src\/db sit below the modules/);
  });

  // Every layer above the bottom, imported from each bottom folder: each must fail `npm run lint`.
  const above = [
    ["a module", 'import { Report } from "../modules/report";\nexport const v = Report;\n'],
    ["a module's type", 'import type { Viewer } from "../modules/auth";\nexport type V = Viewer;\n'],
    ["statistics", 'import { operationTotals } from "../stats";\nexport const v = operationTotals;\n'],
    ["the exports", 'import { exportRoutes } from "../export";\nexport const v = exportRoutes;\n'],
    ["the importer", 'import { readBundle } from "../import";\nexport const v = readBundle;\n'],
    ["the TAXII collection", 'import { taxiiRoute } from "../taxii";\nexport const v = taxiiRoute;\n'],
    ["the feed", 'import { feedRoute } from "../feed";\nexport const v = feedRoute;\n'],
    ["src/http", 'import { makeFormatError } from "../http/format-error";\nexport const v = makeFormatError;\n'],
  ] as const;
  for (const folder of ["common", "db"]) {
    for (const [what, code] of above) {
      it(`fails src/${folder} importing ${what}`, async () => {
        const messages = await boundaryMessages(code, `src/${folder}/x.ts`);
        expect(messages).toHaveLength(1);
        expect(messages[0]).toMatch(/src\/common and src\/db sit below/);
      });
    }
  }

  it("keeps src/db from reaching the modules through a file at the top of src/", async () => {
    const messages = await boundaryMessages('import { ENTITIES } from "../entities";\nexport const e = ENTITIES;\n', "src/db/x.ts");
    expect(messages).toHaveLength(1);
  });

  it("keeps src/export from importing src/http, which mounts it", async () => {
    const messages = await boundaryMessages('import { createRoutes } from "../http/routes";\nexport const c = createRoutes;\n', "src/export/x.ts");
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/sit below src\/http/);
  });

  it("lets src/context.ts name a module's type but not import its values", async () => {
    const typeOnly = await boundaryMessages('import type { Viewer } from "./modules/auth";\nexport type V = Viewer;\n', "src/context.ts");
    const value = await boundaryMessages('import { requireRole } from "./modules/auth";\nexport const r = requireRole;\n', "src/context.ts");
    expect(typeOnly).toEqual([]);
    expect(value).toHaveLength(1);
  });

  it("passes imports that point down", async () => {
    const fromModule = await boundaryMessages(
      'import { BadUserInputError } from "../../common/errors";\nimport { inList } from "../../db/sql";\nexport const x = [BadUserInputError, inList];\n',
      "src/modules/report/x.ts",
    );
    const fromExport = await boundaryMessages(
      'import { clientAddress } from "../common/client-address";\nexport const a = clientAddress;\n',
      "src/export/x.ts",
    );
    const fromHttp = await boundaryMessages('import { exportRoutes } from "../export";\nexport const e = exportRoutes;\n', "src/http/x.ts");
    const fromCommon = await boundaryMessages('import { inList } from "../db/sql";\nexport const i = inList;\n', "src/common/x.ts");
    expect(fromModule).toEqual([]);
    expect(fromExport).toEqual([]);
    expect(fromHttp).toEqual([]);
    expect(fromCommon).toEqual([]);
  });
});
