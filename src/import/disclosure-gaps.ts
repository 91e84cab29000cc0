import type { Bundle, Located, OperationRecord } from "./bundle";
import { OPERATION_DERIVED } from "./disclosures";

/**
 * Operations disclosed by several reports whose per-report values are not all recorded per report:
 * each such operation needs a disclosure for every one of its reports, and may not type a Breakout
 * Scale, accounts banned or origin confidence itself (that value would stand for every report,
 * though publishers re-rate and re-count). The importer derives the operation's values from the
 * disclosures; `npm run data:check` fails on each gap found here.
 */
export function disclosureGaps(bundle: Bundle): { located: Located<OperationRecord>; message: string }[] {
  const gaps: { located: Located<OperationRecord>; message: string }[] = [];
  for (const located of bundle.operations) {
    const o = located.record;
    const given = new Set((o.disclosures ?? []).map((d) => d.report));
    const reports = [...new Set([...(o.reportKeys ?? []), ...given])];
    if (reports.length < 2) continue;
    const typed = [
      ...OPERATION_DERIVED.filter((field) => o[field] !== undefined && o[field] !== null),
      ...((o.origin ?? []).some((x) => x.confidence !== undefined) ? ["origin confidence"] : []),
    ];
    if (typed.length > 0)
      gaps.push({
        located,
        message: `disclosed by ${reports.length} reports but types ${typed.join(", ")} itself: state each report's value in its disclosure`,
      });
    const missing = reports.filter((report) => !given.has(report));
    if (missing.length > 0) gaps.push({ located, message: `disclosed by ${reports.length} reports but has no disclosure for ${missing.join(", ")}` });
  }
  return gaps;
}
