import fs from "node:fs";
import { parseArgs } from "node:util";

/**
 * The shape of a command that generates a committed file (`npm run codebook`, `npm run
 * bundle-schema`): it writes `file` with what `generate` returns, or with `--check` exits 1 when
 * the committed file differs (for CI). `command` names it in messages.
 */
export function generatedFileCommand(command: string, file: string, generate: (options: { data: string }) => Promise<string>): void {
  const run = async (): Promise<number> => {
    const { values } = parseArgs({ options: { check: { type: "boolean", default: false }, data: { type: "string", default: "data" } } });
    const text = await generate({ data: values.data! });
    const shown = file.startsWith(`${process.cwd()}/`) ? file.slice(process.cwd().length + 1) : file;
    if (values.check) {
      const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
      if (current !== text) {
        console.error(`${shown} is stale: run npm run ${command} and commit it`);
        return 1;
      }
      console.log(`${shown}: current`);
      return 0;
    }
    fs.writeFileSync(file, text);
    console.log(`wrote ${file}`);
    return 0;
  };
  run().then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(`${command} failed: ${error.message}`);
      process.exit(1);
    },
  );
}
