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

/** One disclosure of an operation as the reference sees it: the report, and what that report stated. */
interface View {
  report: string | null;
  publisher: string | null;
  date: string | null;
  breakoutScale: number | null;
  accountsBanned: number | null;
  originConfidence: string | null;
}

const EMPTY_VIEW: View = { report: null, publisher: null, date: null, breakoutScale: null, accountsBanned: null, originConfidence: null };

const quarterOf = (date: string) => `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;

export class Reference {
  private readonly reports: Map<string, any>;

  constructor(readonly data: Dataset) {
    this.reports = new Map(data.reports.map((r) => [r.key, r]));
  }

  /**
   * Every disclosure of an operation: each report key, with the values the record's `disclosures`
   * entry for it states, or, for a record with one report and no `disclosures`, the record's own.
   */
  allViews(o: any): View[] {
    const single = o.reportKeys.length === 1 && !o.disclosures;
    return o.reportKeys.map((key: string) => {
      const report = this.reports.get(key);
      const entry = (o.disclosures ?? []).find((d: any) => d.report === key) ?? {};
      const confidences = new Set((o.origin ?? []).map((x: any) => x.confidence));
      return {
        report: key,
        publisher: report.publisher,
        date: report.publishedOn,
        breakoutScale: entry.breakoutScale ?? (single ? o.breakoutScale : null) ?? null,
        accountsBanned: entry.accountsBanned ?? (single ? o.accountsBanned : null) ?? null,
        originConfidence: entry.originConfidence ?? (single && confidences.size === 1 ? [...confidences][0] : null) ?? null,
      };
    });
  }

  /** The operation's own rating or figure: the latest disclosure (by report date, then key) stating one, else the record's. */
  latest(o: any, field: "breakoutScale" | "accountsBanned"): number | null {
    const stated = this.allViews(o)
      .filter((v) => v[field] !== null)
      .sort((a, b) => (a.date! < b.date! ? -1 : a.date! > b.date! ? 1 : a.report! < b.report! ? -1 : a.report! > b.report! ? 1 : 0));
    return stated.length ? stated[stated.length - 1][field] : (o[field] ?? null);
  }

  /** Whether a filter states a condition on disclosures. */
  static conditioned(filter: Record<string, any>): boolean {
    return ["publisher", "report", "disclosedFrom", "disclosedTo", "disclosure"].some((field) => filter[field] !== undefined);
  }

  /** The disclosures a filter counts: those meeting every one of its disclosure conditions at once. */
  private counted(o: any, filter: Record<string, any>): View[] {
    const all = this.allViews(o);
    if (!Reference.conditioned(filter)) return all.length ? all : [EMPTY_VIEW];
    const d = filter.disclosure ?? {};
    return all.filter(
      (v) =>
        (!filter.publisher || filter.publisher.includes(v.publisher)) &&
        (!filter.report || filter.report.includes(v.report)) &&
        (!filter.disclosedFrom || v.date! >= filter.disclosedFrom) &&
        (!filter.disclosedTo || v.date! <= filter.disclosedTo) &&
        (!d.report || d.report.includes(v.report)) &&
        (d.breakoutScaleMin === undefined || (v.breakoutScale !== null && v.breakoutScale >= d.breakoutScaleMin)) &&
        (d.breakoutScaleMax === undefined || (v.breakoutScale !== null && v.breakoutScale <= d.breakoutScaleMax)) &&
        (!d.originConfidence || d.originConfidence.includes(v.originConfidence)),
    );
  }

  firstDisclosed(o: any): string {
    return this.allViews(o)
      .map((v) => v.date!)
      .sort()[0];
  }

  /**
   * OperationFilter semantics: values OR'ed within a field, fields AND'ed, the disclosure conditions
   * met by one disclosure. Each operation comes back with the disclosures the filter counts (`views`).
   */
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
      aiTool: (o, v) => anyOf(o.aiTools, v),
      platform: (o, v) => anyOf(o.platforms, v),
      operator: (o, v) => anyOf(o.operators, v),
      breakoutScaleMin: (o, v) => this.latest(o, "breakoutScale") !== null && this.latest(o, "breakoutScale")! >= v,
      breakoutScaleMax: (o, v) => this.latest(o, "breakoutScale") !== null && this.latest(o, "breakoutScale")! <= v,
    };
    return this.data.operations
      .filter((o) => Object.entries(filter).every(([field, value]) => !test[field] || test[field](o, value)))
      .map((o) => ({ ...o, views: this.counted(o, filter) }))
      .filter((o) => o.views.length > 0);
  }

  /** The keys an operation has for a dimension, in one of its counted disclosures. */
  values(o: any, dimension: string, view: View): string[] {
    const keys: Record<string, () => (string | null)[]> = {
      ORIGIN_COUNTRY: () => o.origin.map((x: any) => x.country),
      ORIGIN_REGION: () => o.origin.map((x: any) => COUNTRIES.get(x.country)!.region),
      TARGET_COUNTRY: () => o.targets,
      TARGET_REGION: () => o.targets.map((c: string) => COUNTRIES.get(c)!.region),
      CATEGORY: () => o.categories,
      ACTOR_TYPE: () => [o.actorType],
      PUBLISHER: () => [view.publisher],
      REPORT: () => [view.report],
      AI_TOOL: () => o.aiTools,
      PLATFORM: () => o.platforms,
      OPERATOR: () => o.operators,
      BREAKOUT_SCALE: () => [this.latest(o, "breakoutScale") === null ? null : String(this.latest(o, "breakoutScale"))],
      DISCLOSURE_BREAKOUT_SCALE: () => [view.breakoutScale === null ? null : String(view.breakoutScale)],
      ORIGIN_CONFIDENCE: () => o.origin.map((x: any) => x.confidence),
      YEAR: () => [view.date && view.date.slice(0, 4)],
      QUARTER: () => [view.date && quarterOf(view.date)],
    };
    return [...new Set(keys[dimension]().filter((k): k is string => k !== null && k !== undefined))];
  }

  /** A dimension's keys in one disclosure, NONE standing for no value. */
  private keysIn(o: any, dimension: string, view: View): string[] {
    const keys = this.values(o, dimension, view);
    return keys.length ? keys : [NONE];
  }

  /** An operation's keys for a dimension: those of any of its counted disclosures. */
  keysOf(o: any, dimension: string): string[] {
    return [...new Set((o.views as View[]).flatMap((view) => this.keysIn(o, dimension, view)))];
  }

  /** A record per counted operation, or per counted disclosure with `unit` DISCLOSURES. */
  private records(ops: any[], unit: string): any[] {
    return unit === "DISCLOSURES" ? ops.flatMap((o) => o.views.map((view: View) => ({ ...o, views: [view] }))) : ops;
  }

  totals(ops: any[], filter: Record<string, any> = {}) {
    const views: View[] = ops.flatMap((o) => o.views).filter((v: View) => v.report !== null);
    let accountsBanned = 0;
    let stating = 0;
    for (const o of ops) {
      // Per publisher, the latest figure its counted reports state; a figure on the operation alone counts only unnarrowed.
      const latest = new Map<string, View>();
      for (const view of (o.views as View[]).filter((v) => v.accountsBanned !== null)) {
        const seen = latest.get(view.publisher!);
        if (!seen || view.date! > seen.date! || (view.date === seen.date && view.report! > seen.report!)) latest.set(view.publisher!, view);
      }
      let figures = [...latest.values()].map((v) => v.accountsBanned!);
      const anyStated = this.allViews(o).some((v) => v.accountsBanned !== null);
      if (!Reference.conditioned(filter) && !anyStated && o.accountsBanned !== null && o.accountsBanned !== undefined) figures = [o.accountsBanned];
      accountsBanned += figures.reduce((n, x) => n + x, 0);
      if (figures.length) stating += 1;
    }
    return {
      operations: ops.length,
      disclosures: views.length,
      reports: new Set(views.map((v) => v.report)).size,
      accountsBanned,
      operationsStatingAccountsBanned: stating,
    };
  }

  distribution(ops: any[], dimension: string, limit: number, includeOther: boolean, unit = "OPERATIONS") {
    const records = this.records(ops, unit);
    const counts = new Map<string, number>();
    let none = 0;
    for (const o of records) {
      for (const key of this.keysOf(o, dimension)) {
        if (key === NONE) none += 1;
        else counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    const ranked = [...counts.entries()].map(([key, count]) => ({ key, count })).sort(byCountThenKey);
    const top = ranked.slice(0, limit);
    const topKeys = new Set(top.map((b) => b.key));
    const buckets: { kind: string; key: string; count: number }[] = top.map((b) => ({ kind: "VALUE", ...b }));
    if (includeOther && ranked.length > limit) {
      const other = records.filter((o) => this.keysOf(o, dimension).some((k) => k !== NONE && !topKeys.has(k))).length;
      buckets.push({ kind: "OTHER", key: OTHER, count: other });
    }
    buckets.push({ kind: "NONE", key: NONE, count: none });
    return { denominator: records.length, buckets };
  }

  crossTab(ops: any[], rows: string, columns: string, unit = "OPERATIONS") {
    const records = this.records(ops, unit);
    const cells = new Map<string, number>();
    const rowTotals = new Map<string, number>();
    const columnTotals = new Map<string, number>();
    const add = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
    for (const o of records) {
      // Pairs come from one disclosure each; operation-level values are the same in all of them.
      const pairs = new Set<string>();
      for (const view of o.views as View[]) {
        for (const rk of this.keysIn(o, rows, view)) for (const ck of this.keysIn(o, columns, view)) pairs.add(`${rk}\u0000${ck}`);
      }
      for (const pair of pairs) add(cells, pair);
      for (const rk of new Set([...pairs].map((p) => p.split("\u0000")[0]))) add(rowTotals, rk);
      for (const ck of new Set([...pairs].map((p) => p.split("\u0000")[1]))) add(columnTotals, ck);
    }
    const headers = (totals: Map<string, number>) => {
      const list = [...totals.entries()].map(([key, count]) => ({ key, count }));
      return [...list.filter((b) => b.key !== NONE).sort(byCountThenKey), ...list.filter((b) => b.key === NONE)];
    };
    return {
      grandTotal: records.length,
      rows: headers(rowTotals),
      columns: headers(columnTotals),
      cells: [...cells.entries()]
        .map(([k, count]) => ({ row: k.split("\u0000")[0], column: k.split("\u0000")[1], count }))
        .sort((a, b) => b.count - a.count || (a.row < b.row ? -1 : a.row > b.row ? 1 : a.column < b.column ? -1 : a.column > b.column ? 1 : 0)),
    };
  }

  /**
   * The dated disclosures that place an operation on an axis: each counted disclosure by its report's
   * date (FIRST_DISCLOSED: only the earliest of them), or the operation's first activity date.
   */
  placements(o: any, axis: string, unit = "OPERATIONS"): { date: string; view: View }[] {
    const views: View[] = o.views ?? this.allViews(o);
    if (axis === "FIRST_SEEN") return o.firstSeen ? views.map((view) => ({ date: o.firstSeen, view })) : [];
    const dated = views.filter((v) => v.date !== null).map((view) => ({ date: view.date!, view }));
    if (axis === "DISCLOSURE" || unit === "DISCLOSURES") return dated;
    const first = dated.map((p) => p.date).sort()[0];
    return dated.filter((p) => p.date === first);
  }

  /** Dates that place an operation on an axis. */
  dates(o: any, axis: string): string[] {
    return [...new Set(this.placements(o, axis).map((p) => p.date))];
  }

  timeSeries(ops: any[], options: { interval: Interval; from?: string; to?: string; axis: string; split?: string; cumulative?: boolean; unit?: string }) {
    const { interval, axis, split, cumulative } = options;
    const unit = options.unit ?? "OPERATIONS";
    const records = this.records(ops, unit);
    const placed = records.map((o) => ({ o, at: this.placements(o, axis, unit) }));
    const dated = placed.filter((p) => p.at.length > 0);
    const undated = records.length - dated.length;
    const all = dated.flatMap((p) => p.at.map((a) => a.date)).sort();
    if (all.length === 0 && (!options.from || !options.to)) return { from: null, to: null, undated, buckets: [] };
    const lo = options.from ?? bucketStart(all[0], interval);
    const hi = options.to ?? nextBucket(bucketStart(all[all.length - 1], interval), interval);
    const starts: string[] = [];
    for (let s = bucketStart(lo, interval); s < hi; s = nextBucket(s, interval)) starts.push(s);

    const keysAt = (o: any, view: View) => (split ? this.keysIn(o, split, view) : []);
    // Where each record sits, as (bucket, key) pairs and buckets: a record counts once per bucket and
    // once per (bucket, key) of one disclosure; cumulative series place it at its earliest date, and
    // under each key at the earliest date of a disclosure with that key. BEFORE: dated before `from`.
    const BEFORE = "before";
    const bucketOf = (date: string) => (date < lo ? BEFORE : date >= hi ? null : bucketStart(date, interval));
    const where = dated.map(({ o, at }) => {
      const buckets = new Set<string>();
      const pairs = new Set<string>();
      if (cumulative) {
        const earliest = at.map((a) => a.date).sort()[0];
        const b = earliest < hi ? (earliest < lo ? BEFORE : bucketStart(earliest, interval)) : null;
        if (b) buckets.add(b);
        const firstByKey = new Map<string, string>();
        for (const a of at) for (const key of keysAt(o, a.view)) if (!firstByKey.has(key) || a.date < firstByKey.get(key)!) firstByKey.set(key, a.date);
        for (const [key, date] of firstByKey) if (date < hi) pairs.add(`${date < lo ? BEFORE : bucketStart(date, interval)}|${key}`);
      } else {
        for (const a of at) {
          const b = a.date >= lo ? bucketOf(a.date) : null;
          if (!b) continue;
          buckets.add(b);
          for (const key of keysAt(o, a.view)) pairs.add(`${b}|${key}`);
        }
      }
      return { buckets, pairs };
    });
    const countIn = (bucket: string) => where.filter((w) => w.buckets.has(bucket)).length;
    const countPair = (bucket: string, key: string) => where.filter((w) => w.pairs.has(`${bucket}|${key}`)).length;

    const keyTotals = new Map<string, number>();
    for (const w of where) {
      for (const pair of w.pairs) {
        const key = pair.slice(pair.indexOf("|") + 1);
        keyTotals.set(key, (keyTotals.get(key) ?? 0) + 1);
      }
    }
    const keys = [...keyTotals.entries()]
      .map(([key, count]) => ({ key, count }))
      .sort((a, b) => (a.key === NONE ? 1 : b.key === NONE ? -1 : byCountThenKey(a, b)))
      .map((k) => k.key);

    let running = cumulative ? countIn(BEFORE) : 0;
    const runningByKey = new Map(keys.map((k) => [k, cumulative ? countPair(BEFORE, k) : 0]));
    const buckets = starts.map((start) => {
      const count = countIn(start) + running;
      if (cumulative) running = count;
      const splits = keys.map((key) => {
        const n = countPair(start, key) + runningByKey.get(key)!;
        if (cumulative) runningByKey.set(key, n);
        return { key, count: n };
      });
      const end = nextBucket(start, interval);
      return { start: start < lo ? lo : start, end: end > hi ? hi : end, count, splits };
    });
    return { from: lo, to: hi, undated, buckets };
  }
}
