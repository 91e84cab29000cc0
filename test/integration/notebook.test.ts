import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ROOT, startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { JUPYTER_NBCONVERT, jupyter, needs, python } from "../helpers/engines";

const NOTEBOOK = path.join(ROOT, "examples", "notebooks", "research-questions.ipynb");
// CI installs jupyter-nbconvert and python3-ipykernel and sets REQUIRE_NOTEBOOK_TOOLS=1, so the
// notebook always runs there; a machine with only Node.js skips it.
const run = needs("the notebook suite", python(), jupyter());

let t: TestApp;
let scratch: string;
beforeAll(async () => {
  if (!run) return;
  t = await startTestApp();
  scratch = mkdtempSync(path.join(os.tmpdir(), "notebook-"));
});
afterAll(async () => {
  await t?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

it.skipIf(!run)(
  "examples/notebooks/research-questions.ipynb runs top to bottom against the service",
  async () => {
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const child = spawn(
        JUPYTER_NBCONVERT,
        ["--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=120", "--output-dir", scratch, "--output", "executed", NOTEBOOK],
        {
          cwd: ROOT,
          env: { ...process.env, MISUSE_GRAPH_URL: t.url.replace(/\/graphql$/, ""), PYDEVD_DISABLE_FILE_VALIDATION: "1" },
        },
      );
      let text = "";
      child.stdout.on("data", (chunk) => (text += chunk));
      child.stderr.on("data", (chunk) => (text += chunk));
      child.on("error", reject);
      child.on("close", (exit) => resolve({ code: exit, output: text }));
    });
    expect(code, output).toBe(0);
    const executed = JSON.parse(readFileSync(path.join(scratch, "executed.ipynb"), "utf8"));
    const outputs = executed.cells.filter((c: any) => c.cell_type === "code").flatMap((c: any) => c.outputs);
    expect(outputs.some((o: any) => o.output_type === "error")).toBe(false);
    // The last cell prints the dataset's content hash, which the API states independently.
    const { dataset } = await t.data(`{ dataset { contentHash } }`);
    expect(outputs.map((o: any) => (o.text ?? []).join?.("") ?? o.text ?? "").join("\n")).toContain(dataset.contentHash);
  },
  180_000,
);
