import { SqlParams } from "../db/sql";
import { disclosureConditions, hasDisclosureConditions, operationConditionsOnly, operationFilterSql } from "../modules/operation";
import type { ResolvedOperationFilter } from "../modules/operation";
import { WHOLE } from "./engine";
import type { StatsBase } from "./engine";
import { CountUnit } from "./stats.enums";

/*
 * The rows an operation statistic reads (its base, the CTE \`f\`): one per operation from
 * operation_facts (the fast path), or one per counted disclosure; and the parents a per-parent
 * statistic is counted for.
 */

/** The part a parent record plays in the operations a per-parent statistic counts. */
export type StatsScopeKind = "ORIGIN" | "TARGET" | "AI_TOOL" | "PLATFORM" | "OPERATOR" | "PUBLISHER" | "REPORT";

/** The operations a statistic counts: every filter applies (AND), within the scope's parent if any. */
export interface OperationSelection {
  filters: ResolvedOperationFilter[];
  /** A per-parent statistic (`country.stats`, `company.stats`, `report.stats`): the parent and its part. */
  scope?: { kind: StatsScopeKind; value: string | number };
}

/** SQL giving `(parent, operation_id)` pairs, once each, for the parents of one scope kind (`$p` the parents). */
export function scopePairs(kind: StatsScopeKind, p: string): string {
  switch (kind) {
    case "ORIGIN":
    case "TARGET":
      return `SELECT country_code::text AS parent, operation_id FROM operation_${kind.toLowerCase()} WHERE country_code = ANY(${p}::bpchar[])`;
    case "AI_TOOL":
    case "PLATFORM":
    case "OPERATOR":
      return `SELECT company_id::text AS parent, operation_id FROM operation_company WHERE role = '${kind}' AND company_id = ANY(${p}::int[])`;
    case "PUBLISHER":
      return `SELECT DISTINCT r.publisher_id::text AS parent, x.operation_id FROM operation_report x JOIN report r ON r.id = x.report_id WHERE r.publisher_id = ANY(${p}::int[])`;
    case "REPORT":
      return `SELECT report_id::text AS parent, operation_id FROM operation_report WHERE report_id = ANY(${p}::int[])`;
  }
}

/** A scope as the statistic's base sees it: the parents asked for, and the part they play. */
export interface BaseScope {
  kind: StatsScopeKind;
  parents: readonly string[];
}

/** The scopes whose parent is a disclosure's publisher or report: they count that parent's disclosures only. */
export const DISCLOSURE_SCOPES: ReadonlySet<StatsScopeKind> = new Set(["PUBLISHER", "REPORT"]);

/**
 * `f`: the selected operations as rows of operation_facts (one row per operation, every dimension
 * an array of keys), with the parent each row is counted for: `'0'` for a statistic over the whole
 * selection, else one row per (parent, operation) of the scope, so one statement serves every parent.
 */
export function operationBase(filters: ResolvedOperationFilter[], scope?: BaseScope): StatsBase {
  const params = new SqlParams();
  const where = filters.flatMap((filter) => operationFilterSql(filter, params));
  const selected = where.length ? `x.id IN (SELECT e.id FROM operation e WHERE ${where.join(" AND ")})` : "true";
  const f = scope
    ? `SELECT l.parent, x.* FROM (${scopePairs(scope.kind, params.add(scope.parents))}) l JOIN operation_facts x ON x.id = l.operation_id WHERE ${selected}`
    : `SELECT '${WHOLE}'::text AS parent, x.* FROM operation_facts x WHERE ${selected}`;
  return { params, ctes: [`f AS NOT MATERIALIZED (${f})`] };
}

/**
 * `f` at disclosure grain: a row per counted disclosure of each selected operation, with the
 * operation's facts and the disclosure's own (`d_report`, `d_publisher`, `d_date`, `d_scale`,
 * `d_accounts`, and with `first` `d_first`, the operation's earliest counted disclosure date). The counted
 * disclosures are those meeting every disclosure condition of the filters (and, under a publisher
 * or report, that parent's); an operation with no disclosure at all keeps one row of NULLs when no
 * such condition is given. `record` names what a statistic counts: the operation, or the disclosure.
 */
export function disclosureBase(filters: ResolvedOperationFilter[], unit: CountUnit, first: boolean, scope?: BaseScope): StatsBase {
  const params = new SqlParams();
  // A sample is drawn over the whole filter, so its operation-level part keeps the disclosure conditions too.
  const where = filters.flatMap((filter) => operationFilterSql(filter.sample ? filter : operationConditionsOnly(filter), params));
  const onDisclosure = filters.flatMap((filter) => disclosureConditions(filter, params));
  let parent = `'${WHOLE}'::text`;
  let pairs = "";
  if (scope && DISCLOSURE_SCOPES.has(scope.kind)) {
    parent = scope.kind === "PUBLISHER" ? "r.publisher_id::text" : "x.report_id::text";
    onDisclosure.push(`${scope.kind === "PUBLISHER" ? "r.publisher_id" : "x.report_id"} = ANY(${params.add(scope.parents.map(Number))}::int[])`);
  } else if (scope) {
    parent = "l.parent";
    pairs = `(${scopePairs(scope.kind, params.add(scope.parents))}) l JOIN `;
  }
  const join = onDisclosure.length ? "JOIN" : "LEFT JOIN";
  const f = `SELECT ${parent} AS parent, o.*, x.report_id AS d_report_id, r.key AS d_report, c.key AS d_publisher, r.published_on AS d_date,
      x.breakout_scale AS d_scale, x.accounts_banned AS d_accounts${first ? `, min(r.published_on) OVER (PARTITION BY ${parent}, o.id) AS d_first` : ""}
    FROM ${pairs}operation_facts o ${pairs ? "ON o.id = l.operation_id " : ""}
    ${join} (operation_report x JOIN report r ON r.id = x.report_id JOIN company c ON c.id = r.publisher_id)
      ON x.operation_id = o.id${onDisclosure.length ? ` AND ${onDisclosure.join(" AND ")}` : ""}
    WHERE ${where.length ? `o.id IN (SELECT e.id FROM operation e WHERE ${where.join(" AND ")})` : "true"}`;
  const record = unit === CountUnit.DISCLOSURES ? `(f.id, f.d_report_id)` : "f.id";
  return { params, ctes: [`f AS NOT MATERIALIZED (${f})`], record };
}

/** Which rows a statistic reads: one per operation, or one per counted disclosure (`first`: with each operation's earliest). */
export interface Grain {
  disclosure: boolean;
  unit: CountUnit;
  first?: boolean;
}

/** Whether any filter or the scope states a condition on disclosures. */
export const disclosureConditioned = (selection: OperationSelection) =>
  selection.filters.some(hasDisclosureConditions) || (selection.scope !== undefined && DISCLOSURE_SCOPES.has(selection.scope.kind));
