import { parseArgs } from "node:util";
import { formatProblem, readBundle, dataQuality } from "../import";

const USAGE = "usage: npm run data:check [-- <file-or-folder>]   (default: data/)";

const pct = (part: number, whole: number) => (whole === 0 ? "-" : `${((100 * part) / whole).toFixed(0)}%`);

/**
 * `npm run data:check`: a data-quality report on a bundle, read from the files (no database):
 * records per publisher and year, empty fields by share, sources by kind, records with no
 * PUBLISHER source, aggregator hosts cited, operations disclosed by several publishers. Exits 1
 * when the bundle is invalid, a report or operation lists no PUBLISHER source, or an aggregator is cited.
 */
async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ options: { help: { type: "boolean", short: "h" } }, allowPositionals: true });
  if (values.help || positionals.length > 1) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const bundle = await readBundle(positionals[0] ?? "data");
  if (bundle.problems.length > 0) {
    console.error(`${bundle.source}: ${bundle.problems.length} problem(s) against the bundle schema`);
    for (const problem of bundle.problems) console.error(`  ${formatProblem(problem)}`);
    return 1;
  }
  const q = dataQuality(bundle);
  console.log(`data check: ${bundle.source} (${bundle.files.length} files)`);
  console.log(`\nrecords per publisher and year`);
  console.log(`  ${"publisher".padEnd(14)}${"year".padEnd(6)}${"reports".padStart(8)}${"operations".padStart(12)}${"statements".padStart(12)}`);
  for (const row of q.byPublisherYear) {
    console.log(
      `  ${row.publisher.padEnd(14)}${row.year.padEnd(6)}${String(row.reports).padStart(8)}${String(row.operations).padStart(12)}${String(row.statements).padStart(12)}`,
    );
  }
  console.log(`\nfields left empty (share of records)`);
  for (const row of q.emptyFields)
    console.log(`  ${`${row.kind}.${row.field}`.padEnd(28)}${`${row.empty}/${row.total}`.padStart(9)}${pct(row.empty, row.total).padStart(6)}`);
  const total = Object.values(q.sourcesByKind).reduce((a, b) => a + b, 0);
  console.log(`\nsources by kind (${total})`);
  for (const [kind, count] of Object.entries(q.sourcesByKind)) console.log(`  ${kind.padEnd(12)}${String(count).padStart(6)}${pct(count, total).padStart(6)}`);
  console.log(`\nrecords with no PUBLISHER source: ${q.withoutPublisher.length}`);
  for (const r of q.withoutPublisher) console.log(`  ${r.kind} ${r.key} (${r.where})`);
  console.log(`\naggregator hosts cited: ${q.aggregatorHosts.length}`);
  for (const a of q.aggregatorHosts) console.log(`  ${a.host}: ${a.records.map((r) => `${r.kind} ${r.key}`).join(", ")}`);
  console.log(`\noperations disclosed by more than one publisher: ${q.multiPublisher.length}`);
  for (const m of q.multiPublisher) console.log(`  ${m.key}: ${m.publishers.join(", ")}`);
  const failed = q.withoutPublisher.length > 0 || q.aggregatorHosts.length > 0;
  console.log(`\n${failed ? "FAILED: every report and operation needs a PUBLISHER source, and no aggregator may be cited" : "ok"}`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`data check failed: ${error.message}`);
    process.exit(1);
  },
);
