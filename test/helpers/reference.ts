import worldCountries from "world-countries";
import type { Dataset } from "./dataset";

/**
 * A plain, slow, obviously-correct reference for filters and statistics, computed from bundle
 * records in memory. The API must agree with it exactly.
 */
export const COUNTRIES = new Map(worldCountries.map((c) => [c.cca2, { region: c.region.toUpperCase(), name: c.name.common }]));

const anyOf = <T>(values: T[] | undefined, wanted: T[]) => (values ?? []).some((v) => wanted.includes(v));
const NONE = "(none)";
const OTHER = "(other)";

export type Interval = "MONTH" | "QUARTER" | "YEAR";

function bucketStart(date: string, interval: Interval): string {
  const year = date.slice(0, 4);
  const month = Number(date.slice(5, 7));
  if (interval === "YEAR") return `${year}-01-01`;
  if (interval === "QUARTER") return `${year}-${String(Math.floor((month - 1) / 3) * 3 + 1).padStart(2, "0")}-01`;
  return `${year}-${String(month).padStart(2, "0")}-01`;
}

function nextBucket(start: string, interval: Interval): string {
  const step = { MONTH: 1, QUARTER: 3, YEAR: 12 }[interval];
  const months = Number(start.slice(0, 4)) * 12 + Number(start.slice(5, 7)) - 1 + step;
  return `${String(Math.floor(months / 12)).padStart(4, "0")}-${String((months % 12) + 1).padStart(2, "0")}-01`;
}

const byCountThenKey = (a: { key: string; count: number }, b: { key: string; count: number }) =>
  b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export class Reference {
  private readonly reports: Map<string, any>;

  constructor(readonly data: Dataset) {
    this.reports = new Map(data.reports.map((r) => [r.key, r]));
  }

  private disclosures(o: any): any[] {
    return o.reportKeys.map((k: string) => this.reports.get(k));
  }

  firstDisclosed(o: any): string {
    return this.disclosures(o)
      .map((r) => r.publishedOn)
      .sort()[0];
  }

  /** OperationFilter semantics: values OR'ed within a field, fields AND'ed. */
  select(filter: Record<string, any>): any[] {
    const test: Record<string, (o: any, v: any) => boolean> = {
      originCountry: (o, v) =>
        anyOf(
          o.origin.map((x: any) => x.country),
          v,
        ),
      targetCountry: (o, v) => anyOf(o.targets, v),
      originRegion: (o, v) =>
        anyOf(
          o.origin.map((x: any) => COUNTRIES.get(x.country)!.region),
          v,
        ),
      targetRegion: (o, v) =>
        anyOf(
          o.targets.map((c: string) => COUNTRIES.get(c)!.region),
          v,
        ),
      category: (o, v) => anyOf(o.categories, v),
      actorType: (o, v) => v.includes(o.actorType),
      report: (o, v) => anyOf(o.reportKeys, v),
      aiTool: (o, v) => anyOf(o.aiTools, v),
      platform: (o, v) => anyOf(o.platforms, v),
      operator: (o, v) => anyOf(o.operators, v),
      breakoutScaleMin: (o, v) => o.breakoutScale !== null && o.breakoutScale >= v,
      breakoutScaleMax: (o, v) => o.breakoutScale !== null && o.breakoutScale <= v,
    };
    return this.data.operations.filter((o) => {
      for (const [field, value] of Object.entries(filter)) {
        if (test[field] && !test[field](o, value)) return false;
      }
      if (filter.publisher || filter.disclosedFrom || filter.disclosedTo) {
        return this.disclosures(o).some(
          (r) =>
            (!filter.publisher || filter.publisher.includes(r.publisher)) &&
            (!filter.disclosedFrom || r.publishedOn >= filter.disclosedFrom) &&
            (!filter.disclosedTo || r.publishedOn <= filter.disclosedTo),
        );
      }
      return true;
    });
  }

  /** The keys an operation has for a dimension. */
  values(o: any, dimension: string): string[] {
    const first = this.firstDisclosed(o);
    const keys: Record<string, () => (string | null)[]> = {
      ORIGIN_COUNTRY: () => o.origin.map((x: any) => x.country),
      ORIGIN_REGION: () => o.origin.map((x: any) => COUNTRIES.get(x.country)!.region),
      TARGET_COUNTRY: () => o.targets,
      TARGET_REGION: () => o.targets.map((c: string) => COUNTRIES.get(c)!.region),
      CATEGORY: () => o.categories,
      ACTOR_TYPE: () => [o.actorType],
      PUBLISHER: () => this.disclosures(o).map((r) => r.publisher),
      REPORT: () => o.reportKeys,
      AI_TOOL: () => o.aiTools,
      PLATFORM: () => o.platforms,
      OPERATOR: () => o.operators,
      BREAKOUT_SCALE: () => [o.breakoutScale === null ? null : String(o.breakoutScale)],
      ORIGIN_CONFIDENCE: () => o.origin.map((x: any) => x.confidence),
      YEAR: () => [first.slice(0, 4)],
      QUARTER: () => [`${first.slice(0, 4)}-Q${Math.floor((Number(first.slice(5, 7)) - 1) / 3) + 1}`],
    };
    return [...new Set(keys[dimension]().filter((k): k is string => k !== null && k !== undefined))];
  }

  totals(ops: any[]) {
    const stated = ops.filter((o) => o.accountsBanned !== null);
    return {
      operations: ops.length,
      disclosures: ops.reduce((n, o) => n + o.reportKeys.length, 0),
      reports: new Set(ops.flatMap((o) => o.reportKeys)).size,
      accountsBanned: stated.reduce((n, o) => n + o.accountsBanned, 0),
      operationsStatingAccountsBanned: stated.length,
    };
  }

  distribution(ops: any[], dimension: string, limit: number, includeOther: boolean) {
    const counts = new Map<string, number>();
    let none = 0;
    for (const o of ops) {
      const keys = this.values(o, dimension);
      if (keys.length === 0) none += 1;
      for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const ranked = [...counts.entries()].map(([key, count]) => ({ key, count })).sort(byCountThenKey);
    const top = ranked.slice(0, limit);
    const topKeys = new Set(top.map((b) => b.key));
    const buckets: { kind: string; key: string; count: number }[] = top.map((b) => ({ kind: "VALUE", ...b }));
    if (includeOther && ranked.length > limit) {
      const other = ops.filter((o) => this.values(o, dimension).some((k) => !topKeys.has(k))).length;
      buckets.push({ kind: "OTHER", key: OTHER, count: other });
    }
    buckets.push({ kind: "NONE", key: NONE, count: none });
    return { denominator: ops.length, buckets };
  }

  crossTab(ops: any[], rows: string, columns: string) {
    const keysOf = (o: any, d: string) => {
      const keys = this.values(o, d);
      return keys.length ? keys : [NONE];
    };
    const cells = new Map<string, number>();
    const rowTotals = new Map<string, number>();
    const columnTotals = new Map<string, number>();
    for (const o of ops) {
      const r = keysOf(o, rows);
      const c = keysOf(o, columns);
      for (const rk of r) rowTotals.set(rk, (rowTotals.get(rk) ?? 0) + 1);
      for (const ck of c) columnTotals.set(ck, (columnTotals.get(ck) ?? 0) + 1);
      for (const rk of r) for (const ck of c) cells.set(`${rk}\u0000${ck}`, (cells.get(`${rk}\u0000${ck}`) ?? 0) + 1);
    }
    const headers = (totals: Map<string, number>) => {
      const list = [...totals.entries()].map(([key, count]) => ({ key, count }));
      return [...list.filter((b) => b.key !== NONE).sort(byCountThenKey), ...list.filter((b) => b.key === NONE)];
    };
    return {
      grandTotal: ops.length,
      rows: headers(rowTotals),
      columns: headers(columnTotals),
      cells: [...cells.entries()]
        .map(([k, count]) => ({ row: k.split("\u0000")[0], column: k.split("\u0000")[1], count }))
        .sort((a, b) => b.count - a.count || (a.row < b.row ? -1 : a.row > b.row ? 1 : a.column < b.column ? -1 : a.column > b.column ? 1 : 0)),
    };
  }

  /** Dates that place an operation on an axis. */
  dates(o: any, axis: string): string[] {
    if (axis === "FIRST_DISCLOSED") return [this.firstDisclosed(o)];
    if (axis === "DISCLOSURE") return this.disclosures(o).map((r) => r.publishedOn);
    return o.firstSeen ? [o.firstSeen] : [];
  }

  timeSeries(ops: any[], options: { interval: Interval; from?: string; to?: string; axis: string; split?: string; cumulative?: boolean }) {
    const { interval, axis, split, cumulative } = options;
    const dated = ops.filter((o) => this.dates(o, axis).length > 0);
    const undated = ops.length - dated.length;
    const all = dated.flatMap((o) => this.dates(o, axis)).sort();
    if (all.length === 0 && (!options.from || !options.to)) return { from: null, to: null, undated, buckets: [] };
    const lo = options.from ?? bucketStart(all[0], interval);
    const hi = options.to ?? nextBucket(bucketStart(all[all.length - 1], interval), interval);
    const starts: string[] = [];
    for (let s = bucketStart(lo, interval); s < hi; s = nextBucket(s, interval)) starts.push(s);

    const keysOf = (o: any) => {
      if (!split) return [];
      const keys = this.values(o, split);
      return keys.length ? keys : [NONE];
    };
    // For cumulative series an operation sits at its earliest date only.
    const datesOf = (o: any) => (cumulative ? [this.dates(o, axis).sort()[0]] : this.dates(o, axis));
    const inBucket = (o: any, start: string) => datesOf(o).some((d) => d >= lo && d < hi && bucketStart(d, interval) === start);
    const before = (o: any) => cumulative && datesOf(o).some((d) => d < lo);

    const keyTotals = new Map<string, number>();
    for (const o of dated) {
      for (const key of keysOf(o)) {
        const n = starts.filter((s) => inBucket(o, s)).length + (before(o) ? 1 : 0);
        if (n > 0) keyTotals.set(key, (keyTotals.get(key) ?? 0) + n);
      }
    }
    const keys = [...keyTotals.entries()]
      .map(([key, count]) => ({ key, count }))
      .sort((a, b) => (a.key === NONE ? 1 : b.key === NONE ? -1 : byCountThenKey(a, b)))
      .map((k) => k.key);

    let running = dated.filter(before).length;
    const runningByKey = new Map(keys.map((k) => [k, dated.filter((o) => before(o) && keysOf(o).includes(k)).length]));
    const buckets = starts.map((start) => {
      const here = dated.filter((o) => inBucket(o, start));
      const count = here.length + (cumulative ? running : 0);
      if (cumulative) running = count;
      const splits = keys.map((key) => {
        const n = here.filter((o) => keysOf(o).includes(key)).length + (cumulative ? runningByKey.get(key)! : 0);
        if (cumulative) runningByKey.set(key, n);
        return { key, count: n };
      });
      return { start, end: nextBucket(start, interval), count, splits };
    });
    return { from: lo, to: hi, undated, buckets };
  }
}
