import { parseArgs } from "node:util";
import { formatProblem, readBundle, dataQuality } from "../import";

const USAGE = "usage: npm run data:check [-- <file-or-folder>]   (default: data/)";

const pct = (part: number, whole: number) => (whole === 0 ? "-" : `${((100 * part) / whole).toFixed(0)}%`);

/**
 * `npm run data:check`: a data-quality report on a bundle, read from the files (no database):
 * records per publisher and year, empty fields by share, sources by kind, records with no
 * PUBLISHER source, aggregator hosts cited, operations disclosed by several publishers, sources
 * whose kind is not their host's, records resting on MIRROR/OTHER sources alone, and operations
 * with several reports whose values are not recorded per disclosure. Exits 1 when the bundle is
 * invalid or any of the lists after "records with no PUBLISHER source" is non-empty (operations
 * disclosed by several publishers are shown, not refused).
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
  printCounts(q);
  printFindings(q);
  const failures = failureReasons(q);
  const failed = failures.length > 0;
  console.log(`\n${failed ? `FAILED: ${failures.join("; ")}` : "ok"}`);
  return failed ? 1 : 0;
}

type Quality = ReturnType<typeof dataQuality>;

/** The report's tables, shown and never refused: records per publisher and year, empty fields, sources by kind. */
function printCounts(q: Quality): void {
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
}

/** The report's lists of records, each with its count: all but the operations disclosed by several publishers fail the check. */
function printFindings(q: Quality): void {
  console.log(`\nrecords with no PUBLISHER source: ${q.withoutPublisher.length}`);
  for (const r of q.withoutPublisher) console.log(`  ${r.kind} ${r.key} (${r.where})`);
  console.log(`\naggregator hosts cited: ${q.aggregatorHosts.length}`);
  for (const a of q.aggregatorHosts) console.log(`  ${a.host}: ${a.records.map((r) => `${r.kind} ${r.key}`).join(", ")}`);
  console.log(`\noperations disclosed by more than one publisher: ${q.multiPublisher.length}`);
  for (const m of q.multiPublisher) console.log(`  ${m.key}: ${m.publishers.join(", ")}`);
  console.log(`\nsources whose kind is not their host's (src/common/source-hosts.ts): ${q.kindMismatches.length}`);
  for (const m of q.kindMismatches) console.log(`  ${m.record.kind} ${m.record.key}: ${m.url} is ${m.given}, its host says ${m.byHost}`);
  console.log(`\nrecords resting on MIRROR or OTHER sources alone: ${q.weakOnly.length}`);
  for (const r of q.weakOnly) console.log(`  ${r.kind} ${r.key} (${r.where})`);
  console.log(`\noperations with several reports and values not recorded per disclosure: ${q.disclosureGaps.length}`);
  for (const g of q.disclosureGaps) console.log(`  ${g.record.key} (${g.record.where}): ${g.message}`);
}

/** The rules the data breaks, each as the sentence the FAILED line gives; none when the data passes. */
function failureReasons(q: Quality): string[] {
  return [
    q.withoutPublisher.length > 0 && "every report and operation needs a PUBLISHER source",
    q.aggregatorHosts.length > 0 && "no aggregator may be cited",
    q.kindMismatches.length > 0 && "every source's kind must be its host's",
    q.weakOnly.length > 0 && "no record may rest on MIRROR or OTHER sources alone",
    q.disclosureGaps.length > 0 && "an operation with several reports gives its values per disclosure",
  ].filter((reason): reason is string => Boolean(reason));
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`data check failed: ${error.message}`);
    process.exit(1);
  },
);
