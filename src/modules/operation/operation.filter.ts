import type { Context } from "../../context";
import { givenValues } from "../../common/given-values";
import { BadUserInputError } from "../../common/errors";
import { checkDateRange, distinct } from "../../common/filter-values";
import { SqlParams, inList } from "../../db/sql";
import { checkSearchText, searchCondition } from "../../common/search";
import { requireCountryCodes } from "../country";
import { requireCompanyIds } from "../company";
import { requireReportIds } from "../report";
import { CompanyRole } from "./operation.enums";
import type { DisclosureFilter, OperationFilter, OperationSample } from "./operation.inputs";
import { SAMPLE_SIZE_MAX } from "./operation.inputs";
import { updatedSinceIso, updatedSinceSql } from "../sync";

// The operation filter: checked and resolved from its GraphQL input, then compiled to SQL
// conditions. Lists, statistics and exports share it.

/** An OperationFilter with keys and codes resolved to ids, checked, ready for SQL. */
export interface ResolvedOperationFilter {
  text?: string;
  originCountry?: string[];
  targetCountry?: string[];
  originRegion?: string[];
  targetRegion?: string[];
  category?: string[];
  actorType?: string[];
  publisher?: number[];
  report?: number[];
  aiTool?: number[];
  platform?: number[];
  operator?: number[];
  disclosedFrom?: string;
  disclosedTo?: string;
  breakoutScaleMin?: number;
  breakoutScaleMax?: number;
  disclosure?: { report?: number[]; breakoutScaleMin?: number; breakoutScaleMax?: number; originConfidence?: string[] };
  updatedSince?: string;
  sample?: { size: number; seed: string };
}

/** A sample's size must lie in 1..SAMPLE_SIZE_MAX and its seed be 1 to 200 characters; errors name the field. */
function checkSample(sample: OperationSample, path: string): { size: number; seed: string } {
  if (sample.size < 1 || sample.size > SAMPLE_SIZE_MAX) {
    throw new BadUserInputError(`${path}.size: a sample holds 1 to ${SAMPLE_SIZE_MAX} operations (got ${sample.size})`, `${path}.size`);
  }
  if (sample.seed.length < 1 || sample.seed.length > 200 || sample.seed.includes("\u0000")) {
    throw new BadUserInputError(`${path}.seed: a seed is 1 to 200 characters without NUL (got ${sample.seed.length})`, `${path}.seed`);
  }
  return { size: sample.size, seed: sample.seed };
}

/** Checks a DisclosureFilter: report keys resolved to ids, Breakout Scale bounds within 1-6 and in order. */
async function resolveDisclosureFilter(ctx: Context, filter: DisclosureFilter, path: string): Promise<ResolvedOperationFilter["disclosure"]> {
  checkScaleBounds(filter, path);
  const resolved = {
    report: await requireReportIds(ctx, filter.report, `${path}.report`),
    ...givenValues(filter, "breakoutScaleMin", "breakoutScaleMax"),
    originConfidence: distinct(filter.originConfidence),
  };
  const stated = Object.fromEntries(Object.entries(resolved).filter(([, value]) => value !== undefined));
  return Object.keys(stated).length ? stated : undefined;
}

/** Breakout Scale bounds must lie in 1-6, the lower not above the upper; errors name the field. */
function checkScaleBounds(filter: { breakoutScaleMin?: number | null; breakoutScaleMax?: number | null }, path: string): void {
  for (const bound of ["breakoutScaleMin", "breakoutScaleMax"] as const) {
    const value = filter[bound];
    if (value !== null && value !== undefined && (value < 1 || value > 6)) {
      throw new BadUserInputError(`${path}.${bound}: the Breakout Scale runs from 1 to 6 (got ${value})`, `${path}.${bound}`);
    }
  }
  if (filter.breakoutScaleMin != null && filter.breakoutScaleMax != null && filter.breakoutScaleMin > filter.breakoutScaleMax) {
    throw new BadUserInputError(`${path}: breakoutScaleMin (${filter.breakoutScaleMin}) is above breakoutScaleMax (${filter.breakoutScaleMax})`, path);
  }
}

/**
 * Checks an OperationFilter and resolves its keys and codes: unknown values and impossible ranges
 * are BAD_USER_INPUT errors naming the field. The same resolution serves lists and statistics.
 */
export async function resolveOperationFilter(ctx: Context, filter: OperationFilter | null | undefined, path = "filter"): Promise<ResolvedOperationFilter> {
  if (!filter) return {};
  const text = checkSearchText(filter.text, `${path}.text`);
  checkScaleBounds(filter, path);
  checkDateRange(filter, "disclosedFrom", "disclosedTo", path);
  const [originCountry, targetCountry, publisher, report, aiTool, platform, operator] = await Promise.all([
    requireCountryCodes(ctx, filter.originCountry, `${path}.originCountry`),
    requireCountryCodes(ctx, filter.targetCountry, `${path}.targetCountry`),
    requireCompanyIds(ctx, filter.publisher, `${path}.publisher`),
    requireReportIds(ctx, filter.report, `${path}.report`),
    requireCompanyIds(ctx, filter.aiTool, `${path}.aiTool`),
    requireCompanyIds(ctx, filter.platform, `${path}.platform`),
    requireCompanyIds(ctx, filter.operator, `${path}.operator`),
  ]);
  const disclosure = filter.disclosure ? await resolveDisclosureFilter(ctx, filter.disclosure, `${path}.disclosure`) : undefined;
  const resolved: ResolvedOperationFilter = {
    text,
    disclosure,
    originCountry,
    targetCountry,
    originRegion: distinct(filter.originRegion),
    targetRegion: distinct(filter.targetRegion),
    category: distinct(filter.category),
    actorType: distinct(filter.actorType),
    publisher,
    report,
    aiTool,
    platform,
    operator,
    ...givenValues(filter, "disclosedFrom", "disclosedTo", "breakoutScaleMin", "breakoutScaleMax"),
    updatedSince: updatedSinceIso(filter.updatedSince),
    sample: filter.sample ? checkSample(filter.sample, `${path}.sample`) : undefined,
  };
  for (const key of Object.keys(resolved) as (keyof ResolvedOperationFilter)[]) {
    if (resolved[key] === undefined) delete resolved[key];
  }
  return resolved;
}

/**
 * SQL conditions for a resolved filter over the operation alias `e`. Multi-valued edges use EXISTS,
 * so an operation is never counted twice however many of its edges match.
 */
export function operationFilterSql(filter: ResolvedOperationFilter, params: SqlParams, alias = "e"): string[] {
  if (filter.sample) return [sampleCondition(filter, filter.sample, params, alias)];
  const where: string[] = [];
  if (filter.text) where.push(searchCondition("operation", filter.text, params, alias));
  const exists = (table: string, condition: string) => `EXISTS (SELECT 1 FROM ${table} WHERE x.operation_id = ${alias}.id AND ${condition})`;
  where.push(...placeConditions(filter, params, exists));
  if (filter.category) where.push(`${alias}.categories && ${params.add(filter.category)}::text[]`);
  // One value as a scalar (so an index on the column can also serve the ORDER BY; see inList).
  if (filter.actorType) where.push(`${alias}.actor_type ${inList(params, filter.actorType, "text")}`);
  const disclosure = disclosureConditions(filter, params);
  if (disclosure.length) where.push(exists("operation_report x JOIN report r ON r.id = x.report_id", disclosure.join(" AND ")));
  for (const [role, ids] of [
    [CompanyRole.AI_TOOL, filter.aiTool],
    [CompanyRole.PLATFORM, filter.platform],
    [CompanyRole.OPERATOR, filter.operator],
  ] as const) {
    if (ids) where.push(exists("operation_company x", `x.role = '${role}' AND x.company_id = ANY(${params.add(ids)}::int[])`));
  }
  if (filter.breakoutScaleMin !== undefined) where.push(`${alias}.breakout_scale >= ${params.add(filter.breakoutScaleMin)}::int`);
  if (filter.breakoutScaleMax !== undefined) where.push(`${alias}.breakout_scale <= ${params.add(filter.breakoutScaleMax)}::int`);
  where.push(...updatedSinceSql(filter.updatedSince, params, alias));
  return where;
}

/**
 * A sample as one condition: bottom-k by hash, the `size` operations of the rest of the filter
 * with the lowest md5(seed:key), so a seed draws the same operations on every call.
 */
function sampleCondition(filter: ResolvedOperationFilter, sample: { size: number; seed: string }, params: SqlParams, alias: string): string {
  const rest = { ...filter };
  delete rest.sample;
  const inner = operationFilterSql(rest, params, "s");
  const rank = `md5(${params.add(sample.seed)}::text || ':' || s.key), s.id`;
  return `${alias}.id IN (SELECT s.id FROM operation s WHERE ${inner.length ? inner.join(" AND ") : "true"} ORDER BY ${rank} LIMIT ${params.add(sample.size)}::int)`;
}

/** Conditions on where an operation comes from and whom it targets, by country and by region, each through its edges. */
function placeConditions(filter: ResolvedOperationFilter, params: SqlParams, exists: (table: string, condition: string) => string): string[] {
  const where: string[] = [];
  if (filter.originCountry) where.push(exists("operation_origin x", `x.country_code = ANY(${params.add(filter.originCountry)}::bpchar[])`));
  if (filter.targetCountry) where.push(exists("operation_target x", `x.country_code = ANY(${params.add(filter.targetCountry)}::bpchar[])`));
  if (filter.originRegion) {
    where.push(exists("operation_origin x JOIN country c ON c.code = x.country_code", `c.region = ANY(${params.add(filter.originRegion)}::text[])`));
  }
  if (filter.targetRegion) {
    where.push(exists("operation_target x JOIN country c ON c.code = x.country_code", `c.region = ANY(${params.add(filter.targetRegion)}::text[])`));
  }
  return where;
}

/** The filter fields that are conditions on one disclosure (a report's disclosure of the operation). */
const DISCLOSURE_FIELDS = ["publisher", "report", "disclosedFrom", "disclosedTo", "disclosure"] as const;

/** Whether a filter states any condition on disclosures. */
export function hasDisclosureConditions(filter: ResolvedOperationFilter): boolean {
  return DISCLOSURE_FIELDS.some((field) => filter[field] !== undefined);
}

/**
 * SQL conditions on one disclosure, over `x` (operation_report) and `r` (its report): every
 * disclosure condition of a filter (publisher, report, disclosure dates, and the `disclosure`
 * input's report, rating and confidence) binds to the same disclosure, so "publisher P, disclosed
 * in 2025" means a report of P published in 2025, never P in one report and 2025 in another.
 */
export function disclosureConditions(filter: ResolvedOperationFilter, params: SqlParams): string[] {
  const conditions: string[] = [];
  if (filter.report) conditions.push(`x.report_id = ANY(${params.add(filter.report)}::int[])`);
  if (filter.publisher) conditions.push(`r.publisher_id = ANY(${params.add(filter.publisher)}::int[])`);
  if (filter.disclosedFrom) conditions.push(`r.published_on >= ${params.add(filter.disclosedFrom)}::date`);
  if (filter.disclosedTo) conditions.push(`r.published_on <= ${params.add(filter.disclosedTo)}::date`);
  const d = filter.disclosure;
  if (d?.report) conditions.push(`x.report_id = ANY(${params.add(d.report)}::int[])`);
  if (d?.breakoutScaleMin !== undefined) conditions.push(`x.breakout_scale >= ${params.add(d.breakoutScaleMin)}::int`);
  if (d?.breakoutScaleMax !== undefined) conditions.push(`x.breakout_scale <= ${params.add(d.breakoutScaleMax)}::int`);
  if (d?.originConfidence) conditions.push(`x.origin_confidence = ANY(${params.add(d.originConfidence)}::text[])`);
  return conditions;
}

/** The filter without its disclosure conditions: what the operation itself must be. */
export function operationConditionsOnly(filter: ResolvedOperationFilter): ResolvedOperationFilter {
  const rest = { ...filter };
  for (const field of DISCLOSURE_FIELDS) delete rest[field];
  return rest;
}

/** The filter fields whose count `operation_count` keeps per value, with their facet (migration OperationCounts). */
const COUNTED_FACETS: Partial<Record<keyof ResolvedOperationFilter, string>> = {
  actorType: "ACTOR_TYPE",
  category: "CATEGORY",
  originCountry: "ORIGIN_COUNTRY",
  originRegion: "ORIGIN_REGION",
  targetCountry: "TARGET_COUNTRY",
  targetRegion: "TARGET_REGION",
};

/** The maintained count of the operations with a value of `facet` that `match` (SQL, `= ...`) accepts, 0 when none has one. */
export function countedOperations(facet: string, match: string): string {
  return `COALESCE((SELECT sum(c.operations)::int FROM operation_count c WHERE c.facet = '${facet}' AND c.value ${match}), 0)`;
}

/**
 * How many operations match `filter`, read from the maintained counters instead of counted: SQL
 * for a scalar, or undefined when the counters do not hold that number. They hold it for no
 * filter, and for one field with one value (or with several actor types, which no operation
 * shares, so their counts add up); several countries or categories overlap and are counted.
 */
export function operationCountSql(filter: ResolvedOperationFilter): ((params: SqlParams) => string) | undefined {
  const fields = Object.keys(filter) as (keyof ResolvedOperationFilter)[];
  if (fields.length === 0) return () => countedOperations("ALL", "= ''");
  const facet = fields.length === 1 ? COUNTED_FACETS[fields[0]] : undefined;
  const values = facet && (filter[fields[0]] as string[]);
  if (!facet || !values || (values.length > 1 && fields[0] !== "actorType")) return undefined;
  return (params) => countedOperations(facet, inList(params, values, "text"));
}
