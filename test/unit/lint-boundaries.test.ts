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
