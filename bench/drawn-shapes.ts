/**
 * Query shapes for `npm run bench:graph` drawn at random from the part of the schema both servers
 * can express, instead of chosen by hand: a list of any record type (reports, operations,
 * companies, countries, statements) in any of its orderings, with or without `totalCount` and an
 * operation filter, or a lookup by key; a random subset of each record's fields; and nested
 * relations one and two levels deep: lookups (a report's publisher), edge lists (an operation's
 * origins and platforms), nested pages (a company's reports by key) and nested connections' counts
 * under every parent (a country's operations). Each drawn shape is written twice, as misuse-graph's
 * query and as PostGraphile's (Amber preset, junction tables as connections), and both answers
 * are brought to one form, so the bench's comparison checks them before measuring.
 *
 * What is left out, and why: country names as an ordering (see ENTITIES.Country), orderings on nullable columns (misuse-graph sorts nulls lowest,
 * PostgreSQL's default that PostGraphile keeps puts them last ascending), and nested pages whose
 * order PostGraphile cannot express (it orders a junction table by its own columns only, so an
 * operation's reports are compared as a set, and a report's operations as a count).
 */
import type { Shape, ShapeContext } from "./graph-shapes";

/** A small seeded generator (mulberry32): the same seed draws the same shapes on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Entity = "Operation" | "Report" | "Company" | "Country" | "Statement";

/** How a relation reads on each side: `one` a record, `list` an ordered edge list, `set` a page compared as a set, `page` a keyset page, `count` a nested totalCount. */
type Kind = "one" | "list" | "set" | "page" | "count";

interface Relation {
  name: string;
  target: Entity;
  kind: Kind;
  ours(selection: string, first: number): string;
  pg(selection: string, first: number): string;
  /** The target records (or the count) out of each side's answer for this relation. */
  oursValue(record: any): any;
  pgValue(record: any): any;
}

interface EntityDef {
  /** Fields both schemas expose with the same name and value. */
  scalars: string[];
  /** misuse-graph's order field → PostGraphile's orderBy prefix, for columns without nulls. */
  orders: Record<string, string>;
  /** PostGraphile's order that breaks ties as misuse-graph's does (by row id). */
  tiebreak: string;
  list: { ours: string; pg: string };
  lookup: { ours: string; arg: string; pg: string; key: keyof DrawnKeys };
  relations: Relation[];
}

/** Keys of records that exist, for lookups. */
export interface DrawnKeys {
  operation: string;
  report: string;
  company: string;
  country: string;
  statement: string;
}

const nodes = (v: any) => v.nodes;
const through = (edge: string) => (v: any) => v.nodes.map((n: any) => n[edge]);

/** A junction to companies by role (`operation_company`), ordered by position as misuse-graph orders it. */
const companiesByRole = (name: string, role: string): Relation => ({
  name,
  target: "Company",
  kind: "list",
  ours: (s) => `${name} { ${s} }`,
  pg: (s) =>
    `${name}: operationCompaniesByOperationId(condition: { role: "${role}" }, orderBy: [POSITION_ASC, COMPANY_ID_ASC]) { nodes { companyByCompanyId { ${s} } } }`,
  oursValue: (r) => r[name],
  pgValue: (r) => r[name].nodes.map((n: any) => n.companyByCompanyId),
});

/** A nested connection's count: misuse-graph's connection against PostGraphile's junction or child table. */
const count = (name: string, target: Entity, pgField: string): Relation => ({
  name,
  target,
  kind: "count",
  ours: () => `${name} { totalCount }`,
  pg: () => `${name}: ${pgField} { totalCount }`,
  oursValue: (r) => r[name].totalCount,
  pgValue: (r) => r[name].totalCount,
});

/** A nested keyset page ordered by key, which both servers can express on a child table. */
const pageByKey = (name: string, target: Entity, pgField: string): Relation => ({
  name,
  target,
  kind: "page",
  ours: (s, first) => `${name}(first: ${first}, orderBy: { field: KEY, direction: ASC }) { nodes { ${s} } }`,
  pg: (s, first) => `${name}: ${pgField}(first: ${first}, orderBy: [KEY_ASC, ROW_ID_ASC]) { nodes { ${s} } }`,
  oursValue: (r) => nodes(r[name]),
  pgValue: (r) => nodes(r[name]),
});

const one = (name: string, target: Entity, pgField: string): Relation => ({
  name,
  target,
  kind: "one",
  ours: (s) => `${name} { ${s} }`,
  pg: (s) => `${name}: ${pgField} { ${s} }`,
  oursValue: (r) => r[name],
  pgValue: (r) => r[name],
});

export const ENTITIES: Record<Entity, EntityDef> = {
  Operation: {
    scalars: ["key", "name", "actorType", "summary", "accountsBanned", "breakoutScale", "firstSeen", "lastSeen", "firstDisclosedOn", "aliases", "categories"],
    orders: { KEY: "KEY", NAME: "NAME", FIRST_DISCLOSED: "FIRST_DISCLOSED_ON" },
    tiebreak: "ROW_ID",
    list: { ours: "operations", pg: "allOperations" },
    lookup: { ours: "operation", arg: "key", pg: "operationByKey", key: "operation" },
    relations: [
      {
        name: "reports",
        target: "Report",
        kind: "set",
        // Every operation has at most 5 reports (bench/generate.ts: 1-3), so a page of 5 is the whole set on both sides.
        ours: (s) => `reports(first: 5) { nodes { ${s} } }`,
        pg: (s) => `reports: operationReportsByOperationId(first: 5) { nodes { reportByReportId { ${s} } } }`,
        oursValue: (r) => nodes(r.reports),
        pgValue: (r) => through("reportByReportId")(r.reports),
      },
      {
        name: "origins",
        target: "Country",
        kind: "list",
        ours: (s) => `origins { confidence country { ${s} } }`,
        pg: (s) => `origins: operationOriginsByOperationId(orderBy: [POSITION_ASC, COUNTRY_CODE_ASC]) { nodes { confidence countryByCountryCode { ${s} } } }`,
        oursValue: (r) => r.origins.map((o: any) => ({ confidence: o.confidence, ...o.country })),
        pgValue: (r) => r.origins.nodes.map((o: any) => ({ confidence: o.confidence, ...o.countryByCountryCode })),
      },
      {
        name: "targets",
        target: "Country",
        kind: "list",
        ours: (s) => `targets { ${s} }`,
        pg: (s) => `targets: operationTargetsByOperationId(orderBy: [POSITION_ASC, COUNTRY_CODE_ASC]) { nodes { countryByCountryCode { ${s} } } }`,
        oursValue: (r) => r.targets,
        pgValue: (r) => through("countryByCountryCode")(r.targets),
      },
      companiesByRole("platforms", "PLATFORM"),
      companiesByRole("aiTools", "AI_TOOL"),
      companiesByRole("operators", "OPERATOR"),
      {
        name: "statements",
        target: "Statement",
        kind: "set",
        // At most 3 statements per operation in the synthetic data.
        ours: (s) => `statements(first: 5) { nodes { ${s} } }`,
        pg: (s) => `statements: statementOperationsByOperationId(first: 5) { nodes { statementByStatementId { ${s} } } }`,
        oursValue: (r) => nodes(r.statements),
        pgValue: (r) => through("statementByStatementId")(r.statements),
      },
    ],
  },
  Report: {
    scalars: ["key", "title", "publishedOn", "url", "periodFrom", "periodTo", "summary"],
    orders: { KEY: "KEY", TITLE: "TITLE", PUBLISHED_ON: "PUBLISHED_ON" },
    tiebreak: "ROW_ID",
    list: { ours: "reports", pg: "allReports" },
    lookup: { ours: "report", arg: "key", pg: "reportByKey", key: "report" },
    relations: [
      one("publisher", "Company", "companyByPublisherId"),
      count("operations", "Operation", "operationReportsByReportId"),
      count("statements", "Statement", "statementReportsByReportId"),
    ],
  },
  Company: {
    scalars: ["key", "name", "kind", "website"],
    orders: { KEY: "KEY", NAME: "NAME" },
    tiebreak: "ROW_ID",
    list: { ours: "companies", pg: "allCompanies" },
    lookup: { ours: "company", arg: "key", pg: "companyByKey", key: "company" },
    relations: [
      one("hqCountry", "Country", "countryByHqCountryCode"),
      pageByKey("reportsPublished", "Report", "reportsByPublisherId"),
      pageByKey("statements", "Statement", "statementsByOrganizationId"),
      count("operationsOperated", "Operation", `operationCompaniesByCompanyId(condition: { role: "OPERATOR" })`),
      count("operationsUsingTool", "Operation", `operationCompaniesByCompanyId(condition: { role: "AI_TOOL" })`),
      count("operationsOnPlatform", "Operation", `operationCompaniesByCompanyId(condition: { role: "PLATFORM" })`),
    ],
  },
  Country: {
    scalars: ["code", "alpha3", "name", "subregion", "lat", "lng"],
    // Not NAME: country names carry accents ("Åland Islands"), which misuse-graph sorts as a reader
    // does (the ICU collation reader_order) and PostGraphile by the database's default collation.
    orders: { CODE: "CODE" },
    tiebreak: "CODE",
    list: { ours: "countries", pg: "allCountries" },
    lookup: { ours: "country", arg: "code", pg: "countryByCode", key: "country" },
    relations: [
      count("operationsOriginating", "Operation", "operationOriginsByCountryCode"),
      count("operationsTargeting", "Operation", "operationTargetsByCountryCode"),
      pageByKey("companies", "Company", "companiesByHqCountryCode"),
      pageByKey("statements", "Statement", "statementsByCountryCode"),
    ],
  },
  Statement: {
    scalars: ["key", "quote", "speaker", "speakerRole", "saidOn", "stance", "sourceUrl", "sourceKind"],
    orders: { KEY: "KEY", SPEAKER: "SPEAKER" },
    tiebreak: "ROW_ID",
    list: { ours: "statements", pg: "allStatements" },
    lookup: { ours: "statement", arg: "key", pg: "statementByKey", key: "statement" },
    relations: [
      one("organization", "Company", "companyByOrganizationId"),
      one("country", "Country", "countryByCountryCode"),
      count("operations", "Operation", "statementOperationsByStatementId"),
      count("reports", "Report", "statementReportsByStatementId"),
    ],
  },
};

/** Operation filters both servers can express: misuse-graph's filter argument and PostGraphile's condition or filter. */
const OPERATION_FILTERS: { ours: string; pg: string; label: string }[] = [
  { label: "STATE_LINKED", ours: "filter: { actorType: [STATE_LINKED] }", pg: `condition: { actorType: "STATE_LINKED" }` },
  { label: "INFLUENCE_OPERATION", ours: "filter: { category: [INFLUENCE_OPERATION] }", pg: `filter: { categories: { contains: ["INFLUENCE_OPERATION"] } }` },
  {
    label: "origin CN",
    ours: `filter: { originCountry: ["CN"] }`,
    pg: `filter: { operationOriginsByOperationId: { some: { countryCode: { equalTo: "CN" } } } }`,
  },
];

/** A drawn selection on one record type: its fields and its relations, each with its own selection. */
interface Node {
  entity: Entity;
  fields: string[];
  relations: { relation: Relation; first: number; child: Node | null }[];
}

class Draw {
  constructor(private readonly random: () => number) {}

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }

  /** A non-empty random subset, in the declared order. */
  subset<T>(items: readonly T[], p: number): T[] {
    const chosen = items.filter(() => this.random() < p);
    return chosen.length ? chosen : [this.pick(items)];
  }

  node(entity: Entity, depth: number): Node {
    const def = ENTITIES[entity];
    // The identifying field first, so every record compared has one.
    const fields = [def.scalars[0], ...this.subset(def.scalars.slice(1), 0.35)];
    const relations = depth >= 2 ? [] : def.relations.filter(() => this.random() < (depth === 0 ? 0.45 : 0.25));
    return {
      entity,
      fields: [...new Set(fields)],
      relations: relations.map((relation) => ({
        relation,
        first: 2 + Math.floor(this.random() * 9),
        child: relation.kind === "count" ? null : this.node(relation.target, depth + 1),
      })),
    };
  }
}

function oursSelection(node: Node): string {
  return [...node.fields, ...node.relations.map(({ relation, first, child }) => relation.ours(child ? oursSelection(child) : "", first))].join(" ");
}

function pgSelection(node: Node): string {
  return [...node.fields, ...node.relations.map(({ relation, first, child }) => relation.pg(child ? pgSelection(child) : "", first))].join(" ");
}

const canonical = (value: unknown) => JSON.stringify(value);

/** One record of either answer in one form: its fields, then each relation's value (sets sorted). */
function normalise(node: Node, record: any, side: "ours" | "pg"): unknown {
  if (record === null || record === undefined) return null;
  const out: Record<string, unknown> = {};
  for (const field of node.fields) out[field] = record[field];
  for (const { relation, child } of node.relations) {
    const value = side === "ours" ? relation.oursValue(record) : relation.pgValue(record);
    if (relation.kind === "count") out[relation.name] = value;
    else if (relation.kind === "one") out[relation.name] = normalise(child!, value, side);
    else {
      const items = (value as any[]).map((item) => normalise(child!, item, side));
      out[relation.name] = relation.kind === "set" ? items.map(canonical).sort() : items;
    }
  }
  return out;
}

/**
 * `count` shapes drawn from `seed`: each a list or a lookup with a random selection, written for
 * both servers. The same seed draws the same shapes, numbered after the hand-written ones.
 */
export function drawShapes(count: number, seed: number, firstNumber: number): Shape[] {
  const next = seededRandom(seed);
  const draw = new Draw(next);
  const shapes: Shape[] = [];
  for (let n = 0; n < count; n += 1) {
    const entity = draw.pick(Object.keys(ENTITIES) as Entity[]);
    const def = ENTITIES[entity];
    const node = draw.node(entity, 0);
    const number = firstNumber + n;
    if (next() < 0.25) {
      const { lookup } = def;
      shapes.push({
        name: `${number} drawn: ${lookup.ours} by ${lookup.arg}${describe(node)}`,
        concurrency: 10,
        ours: (ctx) => `{ ${lookup.ours}(${lookup.arg}: ${JSON.stringify(keysOf(ctx)[lookup.key])}) { ${oursSelection(node)} } }`,
        postgraphile: (ctx) => `{ ${lookup.pg}(${lookup.arg}: ${JSON.stringify(keysOf(ctx)[lookup.key])}) { ${pgSelection(node)} } }`,
        normaliseOurs: (data) => normalise(node, data[lookup.ours], "ours"),
        normalisePostgraphile: (data) => normalise(node, data[lookup.pg], "pg"),
      });
      continue;
    }
    const order = draw.pick(Object.keys(def.orders));
    const direction = draw.pick(["ASC", "DESC"] as const);
    const first = draw.pick([10, 20, 50]);
    const filter = entity === "Operation" && next() < 0.4 ? draw.pick(OPERATION_FILTERS) : null;
    const total = next() < 0.4;
    const oursArgs = [`first: ${first}`, `orderBy: { field: ${order}, direction: ${direction} }`, ...(filter ? [filter.ours] : [])].join(", ");
    const pgArgs = [`first: ${first}`, `orderBy: [${def.orders[order]}_${direction}, ${def.tiebreak}_${direction}]`, ...(filter ? [filter.pg] : [])].join(", ");
    const totalField = total ? "totalCount " : "";
    const list = (data: any, side: "ours" | "pg") => {
      const connection = data[side === "ours" ? def.list.ours : def.list.pg];
      return { totalCount: connection.totalCount, nodes: connection.nodes.map((r: any) => normalise(node, r, side)) };
    };
    shapes.push({
      name: `${number} drawn: ${def.list.ours}(${first}, ${order} ${direction}${filter ? `, ${filter.label}` : ""})${total ? " + totalCount" : ""}${describe(node)}`,
      concurrency: 10,
      ours: () => `{ ${def.list.ours}(${oursArgs}) { ${totalField}nodes { ${oursSelection(node)} } } }`,
      postgraphile: () => `{ ${def.list.pg}(${pgArgs}) { ${totalField}nodes { ${pgSelection(node)} } } }`,
      normaliseOurs: (data) => list(data, "ours"),
      normalisePostgraphile: (data) => list(data, "pg"),
    });
  }
  return shapes;
}

/** The relations of a drawn selection in words: ` + reports{publisher}, origins`. */
function describe(node: Node): string {
  const parts = (n: Node): string[] =>
    n.relations.map(({ relation, child }) => {
      const inner = child ? parts(child) : [];
      return `${relation.name}${relation.kind === "count" ? ".totalCount" : ""}${inner.length ? `{${inner.join(", ")}}` : ""}`;
    });
  const all = parts(node);
  return all.length ? ` + ${all.join(", ")}` : "";
}

function keysOf(ctx: ShapeContext): DrawnKeys {
  if (!ctx.keys) throw new Error("drawn lookups need the keys of existing records in the shape context");
  return ctx.keys;
}
