import path from "node:path";
import { pathToFileURL } from "node:url";
import { ESLint, type Linter } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

// The project's own eslint.config.mjs, run through ESLint's Node API on code that is never written to
// disk: what `npm run lint` reports for a file of that content at that path under src/.
const root = path.resolve(__dirname, "../..");
const eslint = new ESLint({ cwd: root });
const SIZE_RULE_IDS = ["max-lines", "max-lines-per-function", "complexity"];

let config: { SIZE_RULES: Linter.RulesRecord };
beforeAll(async () => {
  config = await import(pathToFileURL(path.join(root, "eslint.config.mjs")).href);
});

async function sizeMessages(code: string, filePath = "src/modules/report/x.ts"): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => SIZE_RULE_IDS.includes(m.ruleId ?? "")).map((m) => `${m.ruleId}: ${m.message}`);
}

/** A function of `lines` lines, from its header to its closing brace, with blank lines and comments between its statements. */
function functionOfLines(lines: number): string {
  const body = Array.from({ length: lines - 4 }, (_, i) => `  total += ${i};\n\n  // step ${i}`);
  return `export function long(): number {\n  let total = 0;\n${body.join("\n")}\n  return total;\n}\n`;
}

/** A function whose cyclomatic complexity is `complexity`: one path, plus one per `if`. */
function functionOfComplexity(complexity: number): string {
  const branches = Array.from({ length: complexity - 1 }, (_, i) => `  if (n === ${i}) return ${i};`);
  return `export function branchy(n: number): number {\n${branches.join("\n")}\n  return -1;\n}\n`;
}

/** A file of `lines` statements, each a line of its own, with blank lines and comments between them. */
function fileOfLines(lines: number): string {
  return Array.from({ length: lines }, (_, i) => `export const value${i} = ${i};\n\n// value ${i}`).join("\n") + "\n";
}

describe("function and file sizes", () => {
  it("fails a function of 61 lines and passes one of 60, blank lines and comments not counted", async () => {
    const over = await sizeMessages(functionOfLines(61));
    expect(over).toHaveLength(1);
    expect(over[0]).toMatch(/^max-lines-per-function: .*too many lines \(61\)/);
    expect(await sizeMessages(functionOfLines(60))).toEqual([]);
  });

  it("fails a function of complexity 16 and passes one of 15", async () => {
    const over = await sizeMessages(functionOfComplexity(16));
    expect(over).toHaveLength(1);
    expect(over[0]).toMatch(/^complexity: .*complexity of 16/);
    expect(await sizeMessages(functionOfComplexity(15))).toEqual([]);
  });

  it("fails a file of 301 lines and passes one of 300, blank lines and comments not counted", async () => {
    const over = await sizeMessages(fileOfLines(301));
    expect(over).toHaveLength(1);
    expect(over[0]).toMatch(/^max-lines: .*\(301\)/);
    expect(await sizeMessages(fileOfLines(300))).toEqual([]);
  });

  it("holds every part of src/ to the limits", async () => {
    for (const file of ["src/app.ts", "src/cli/x.ts", "src/common/x.ts", "src/db/x.ts", "src/stats/engine/x.ts", "src/web/x.tsx"]) {
      expect(await sizeMessages(functionOfComplexity(16), file), file).toHaveLength(1);
    }
  });

  it("excuses no file: every file under src/ meets the limits as they are declared", async () => {
    const strict = new ESLint({ cwd: root, overrideConfig: { files: ["src/**/*.{ts,tsx,mts}"], rules: config.SIZE_RULES } });
    const results = await strict.lintFiles(["src"]);
    const over = results.flatMap((r) =>
      r.messages.filter((m) => SIZE_RULE_IDS.includes(m.ruleId ?? "")).map((m) => `${path.relative(root, r.filePath)}: ${m.message}`),
    );
    expect(results.length).toBeGreaterThan(200);
    expect(over).toEqual([]);
  });
});
