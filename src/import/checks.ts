import { isIsoDate } from "../common/scalars";
import type { Bundle, Located, OperationRecord, Problem } from "./bundle";
import { report } from "../common/records/report";
import { company } from "../common/records/company";
import { statement } from "../common/records/statement";
import { operation } from "../common/records/operation";
import type { FieldCheck, RecordDecl } from "../common/records/declare";
import { fieldsOf, requiredForNew } from "../common/records/derive";
import { didYouMean } from "./suggest";
import { ENTITY_KINDS as KINDS } from "./kinds";
import type { AnyRecord, EntityKind as Kind } from "./kinds";
import { OPERATION_DERIVED } from "./disclosures";

/** Fields a record must have when its key is new; a known key may carry only what changes. */
const REQUIRED_FOR_NEW: Record<Kind, string[]> = {
  companies: requiredForNew(company),
  reports: requiredForNew(report),
  operations: requiredForNew(operation),
  statements: requiredForNew(statement),
};

/** The earliest date a fact in a bundle may carry. */
const EARLIEST_DATE = "1990-01-01";

/** Keys and codes that exist in the database, for references and country codes. */
export interface Known {
  companies: Set<string>;
  reports: Set<string>;
  operations: Set<string>;
  statements: Set<string>;
  countries: Set<string>;
}

/**
 * An operation that gives disclosures takes its Breakout Scale, accounts banned and origin
 * confidences from them (the latest report that states each): typed beside them too, a value would
 * have two sources that can disagree, so the bundle may not give it.
 */
function oneSource(located: Located<OperationRecord>, o: OperationRecord, stored: boolean): Problem[] {
  const problems: Problem[] = [];
  const at = (field: string, message: string, value?: unknown) => problems.push({ file: located.file, path: `${located.path}.${field}`, message, value });
  if (o.disclosures === undefined) return problems;
  for (const field of OPERATION_DERIVED) {
    if (o[field] !== undefined && located.malformed?.has(field) !== true)
      at(field, `"${o.key}" gives disclosures, so ${field} comes from the latest one that states it: leave ${field} out here`, o[field]);
  }
  if (o.disclosures.some((d) => d.originConfidence !== undefined && d.originConfidence !== null)) {
    o.origin?.forEach((origin, i) => {
      if (origin.confidence !== undefined)
        at(`origin[${i}].confidence`, `"${o.key}" gives origin confidence in its disclosures: leave it out of origin`, origin.confidence);
    });
  } else if (!stored && !located.malformed?.has("origin")) {
    // A stored operation's own disclosures may state it; the import checks the merged record.
    o.origin?.forEach((origin, i) => {
      if (origin.confidence === undefined)
        at(`origin[${i}].confidence`, `origin ${origin.country} has no confidence, and no disclosure of "${o.key}" states one`);
    });
  }
  return problems;
}

/** Adds a problem at a record, or at one of its fields: how every check reports. */
type At = (located: Located<unknown>, field: string, message: string, extra?: Partial<Problem>) => void;

/** Keys a reference may name: those stored and those the bundle defines. */
type Defined = Record<"companies" | "reports" | "operations", Set<string>>;

/**
 * Checks what the schema cannot: duplicate keys, fields a new record needs, references that must
 * resolve (in the bundle or the database), country codes, real calendar dates and date order.
 */
export function checkBundle(bundle: Bundle, known: Known): Problem[] {
  const problems: Problem[] = [];
  const defined: Defined = {
    companies: new Set([...known.companies, ...bundle.companies.map((l) => l.record.key)]),
    reports: new Set([...known.reports, ...bundle.reports.map((l) => l.record.key)]),
    operations: new Set([...known.operations, ...bundle.operations.map((l) => l.record.key)]),
  };
  const at: At = (located, field, message, extra = {}) =>
    problems.push({ file: located.file, path: field ? `${located.path}.${field}` : located.path, message, ...extra });

  checkKeys(bundle, known, at);
  const checks = valueChecks(known, defined, at);
  for (const located of bundle.companies) checkDeclared(checks, company, located, located.record);
  for (const located of bundle.reports) checkDeclared(checks, report, located, located.record);
  for (const located of bundle.operations) {
    checkDeclared(checks, operation, located, located.record);
    problems.push(...oneSource(located, located.record, known.operations.has(located.record.key)));
  }
  for (const located of bundle.statements) checkDeclared(checks, statement, located, located.record);
  return problems;
}

/** Each key once per kind, and a key not yet stored with every field a new record needs. */
function checkKeys(bundle: Bundle, known: Known, at: At): void {
  for (const kind of KINDS) {
    const first = new Map<string, Located<AnyRecord>>();
    for (const located of bundle[kind] as Located<AnyRecord>[]) {
      const { record } = located;
      const earlier = first.get(record.key);
      if (earlier) {
        at(located, "key", `duplicate ${kind.replace(/ies$/, "y").replace(/s$/, "")} key "${record.key}" (also at ${earlier.file}: ${earlier.path})`);
        continue;
      }
      first.set(record.key, located);
      if (!known[kind].has(record.key)) {
        // A field that broke the schema was reported there; it is not also "missing".
        const missing = REQUIRED_FOR_NEW[kind].filter((field) => (record[field] === undefined || record[field] === null) && !located.malformed?.has(field));
        if (missing.length > 0)
          at(located, "", `new record "${record.key}" is missing ${missing.map((f) => `"${f}"`).join(", ")} (a record not yet stored needs them)`);
      }
    }
  }
}

/** The checks a field may declare, each reporting through `at`. */
interface ValueChecks {
  /** A value's own checks: a reference that resolves, a known country code, a calendar date in range. */
  checkValue: (located: Located<unknown>, path: string, check: FieldCheck, value: string | null | undefined) => void;
  /** That a date is not before the one it must follow. */
  order: (located: Located<unknown>, from: string, to: string, a: string | null | undefined, b: string | null | undefined) => void;
  /** That a list names no value twice. */
  noRepeats: (located: Located<unknown>, field: string, values: string[] | undefined) => void;
}

/** Builds the value checks against what is known and defined, with one date range for the whole bundle. */
function valueChecks(known: Known, defined: Defined, at: At): ValueChecks {
  const country = (located: Located<unknown>, field: string, code: string | null | undefined) => {
    if (code && !known.countries.has(code)) {
      at(located, field, `unknown country code "${code}" (not an ISO 3166-1 alpha-2 code)`, { value: code, hint: didYouMean(code, known.countries) });
    }
  };
  const ref = (located: Located<unknown>, field: string, kind: "companies" | "reports" | "operations", key: string | null | undefined) => {
    if (key && !defined[kind].has(key)) {
      const noun = { companies: "company", reports: "report", operations: "operation" }[kind];
      at(located, field, `unknown ${noun} "${key}" (neither in this bundle nor in the database)`, { value: key, hint: didYouMean(key, defined[kind]) });
    }
  };
  // Facts about AI misuse are dated from 1990 to a year ahead (a report announced for next month):
  // anything else is a typo that would silently stretch or empty every time series.
  const latest = `${new Date().getUTCFullYear() + 1}${new Date().toISOString().slice(4, 10)}`;
  const date = (located: Located<unknown>, field: string, value: string | null | undefined) => {
    if (value && !isIsoDate(value)) at(located, field, `"${value}" is not a calendar date`);
    else if (value && (value < EARLIEST_DATE || value > latest)) at(located, field, `${value} is outside ${EARLIEST_DATE} to ${latest} (a year from today)`);
  };
  const order: ValueChecks["order"] = (located, from, to, a, b) => {
    if (a && b && isIsoDate(a) && isIsoDate(b) && a > b) at(located, to, `${to} (${b}) is before ${from} (${a})`);
  };
  const noRepeats: ValueChecks["noRepeats"] = (located, field, values) => {
    const seen = new Set<string>();
    values?.forEach((value, index) => {
      if (seen.has(value)) at(located, `${field}[${index}]`, `"${value}" is listed twice`);
      seen.add(value);
    });
  };
  const checkValue: ValueChecks["checkValue"] = (located, path, check, value) => {
    if ("ref" in check) ref(located, path, check.ref, value);
    if ("country" in check) country(located, path, value);
    if ("date" in check) date(located, path, value);
  };
  return { checkValue, order, noRepeats };
}

/**
 * Runs the checks each field declares (src/common/records), in field order: on a value, on each
 * entry of a list (or each entry's own declared fields), and that a list repeats no entry.
 */
function checkDeclared(checks: ValueChecks, decl: RecordDecl, located: Located<unknown>, record: Record<string, unknown>, prefix = ""): void {
  const { checkValue, order, noRepeats } = checks;
  const value = (name: string) => record[name] as string | null | undefined;
  for (const [name, { check, list }] of fieldsOf(decl)) {
    const path = `${prefix}${name}`;
    const values = record[name];
    if (list && Array.isArray(values)) {
      values.forEach((entry: unknown, i) => {
        if (list.entries && entry && typeof entry === "object")
          checkDeclared(checks, list.entries, located, entry as Record<string, unknown>, `${path}[${i}].`);
        else if (check) checkValue(located, `${path}[${i}]`, check, entry as string);
      });
      const by = list.distinct;
      if (by) noRepeats(located, path, by === true ? values : values.map((entry: Record<string, string> | null) => entry?.[by]));
      continue;
    }
    if (check) checkValue(located, path, check, value(name));
    if (check && "date" in check && check.notBefore) order(located, `${prefix}${check.notBefore}`, path, value(check.notBefore), value(name));
  }
}
