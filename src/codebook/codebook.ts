import { GraphQLEnumType, GraphQLObjectType } from "graphql";
import type { GraphQLSchema } from "graphql";
import { derivedValues } from "../import";
import type { Bundle } from "../import";
import { SOURCE_KIND_RULE, sourceKindExample } from "./source-kinds";
import { BREAKOUT_SCALE, BREAKOUT_SCALE_RULE, DISCLOSURE_RULE } from "./breakout-scale";

/** How a coder picks a value of each vocabulary; the value descriptions in the schema say what each means. */
const RULES: Record<string, string> = {
  OperationCategory: "Code every category the publisher's description of the operation supports (one or more); OTHER only when none fits.",
  ActorType: "One value per operation, as the publisher characterises who is behind it; UNATTRIBUTED when the publisher names no one.",
  AttributionConfidence: "One value per country of origin, from the publisher's own wording about that country (not our judgement).",
  CompanyKind: "One value per organisation: what it mainly is, whatever role it plays in a given operation.",
  CompanyRole: "One edge per company and role the publisher names for the operation; a company may have several roles.",
  Stance: "One value per statement: what the quoted words do with respect to the reports or operations they are about.",
  SourceKind: SOURCE_KIND_RULE,
};

/** An operation record with the values it takes from its disclosures (what the import stores). */
function withDerived(b: Bundle) {
  const published = new Map(b.reports.map((l) => [l.record.key, l.record.publishedOn ?? ""]));
  return b.operations.map((l) => ({ ...l.record, ...derivedValues(l.record, (key) => published.get(key) ?? "") }));
}

const operations = (b: Bundle) => b.operations.map((l) => l.record);
const operationNamed = (o: Bundle["operations"][number]["record"]) => `operation \`${o.key}\` (${o.name})`;

/** An example of a value among one kind of record: the first by key that `has` it, named as `named` says. */
function exampleAmong<R extends { key: string }>(records: (b: Bundle) => R[], has: (record: R, value: string) => boolean, named: (record: R) => string) {
  return (b: Bundle, v: string) =>
    first(
      records(b).filter((record) => has(record, v)),
      named,
    );
}

/** Vocabularies in codebook order, and what records of the bundle they code. */
const VOCABULARIES: { name: string; example: (bundle: Bundle, value: string) => string | null }[] = [
  { name: "OperationCategory", example: exampleAmong(operations, (o, v) => o.categories?.includes(v as never) ?? false, operationNamed) },
  { name: "ActorType", example: exampleAmong(operations, (o, v) => o.actorType === v, operationNamed) },
  {
    name: "AttributionConfidence",
    example: (b, v) =>
      first(
        withDerived(b).flatMap((o) => o.origin.filter((x) => x.confidence === v).map((x) => ({ o, x }))),
        ({ o, x }) => `operation \`${o.key}\` (${o.name}), origin ${x.country}`,
      ),
  },
  {
    name: "CompanyKind",
    example: exampleAmong(
      (b) => b.companies.map((l) => l.record),
      (c, v) => c.kind === v,
      (c) => `company \`${c.key}\` (${c.name})`,
    ),
  },
  {
    name: "CompanyRole",
    example: (b, v) => {
      const field = ({ AI_TOOL: "aiTools", PLATFORM: "platforms", OPERATOR: "operators" } as Record<string, "aiTools" | "platforms" | "operators">)[v];
      return first(
        operations(b).filter((o) => (o[field] ?? []).length > 0),
        (o) => `operation \`${o.key}\` → company \`${o[field]![0]}\``,
      );
    },
  },
  { name: "SourceKind", example: sourceKindExample },
  {
    name: "Stance",
    example: exampleAmong(
      (b) => b.statements.map((l) => l.record),
      (s, v) => s.stance === v,
      (s) => `statement \`${s.key}\` (${s.speaker})`,
    ),
  },
];

/** The first record by key that satisfies a value, described; examples never depend on file order. */
function first<T extends { key: string } | { o: { key: string } }>(records: T[], describe: (record: T) => string): string | null {
  const keyOf = (r: T) => ("key" in r ? r.key : r.o.key);
  const sorted = [...records].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  return sorted.length ? describe(sorted[0]) : null;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** CompanyRole is an edge kind, not a GraphQL enum: its values are the Operation fields that hold each role. */
function companyRoleValues(schema: GraphQLSchema): { name: string; description: string }[] {
  const fields = (schema.getType("Operation") as GraphQLObjectType).getFields();
  return [
    { name: "AI_TOOL", description: fields.aiTools.description ?? "" },
    { name: "PLATFORM", description: fields.platforms.description ?? "" },
    { name: "OPERATOR", description: fields.operators.description ?? "" },
  ];
}

/**
 * The codebook (docs/codebook.md): every vocabulary with each value's meaning (the schema's own
 * descriptions, so the playground and the codebook cannot disagree), the coding rule, and an
 * example from the dataset; and the Breakout Scale levels. Generated, and checked in CI.
 */
export function renderCodebook(schema: GraphQLSchema, bundle: Bundle): string {
  const lines = [
    "# Codebook",
    "",
    "<!-- Generated by `npm run codebook` from the GraphQL schema and data/; do not edit by hand. -->",
    "",
    "How the dataset codes what threat reports say. Each vocabulary is a GraphQL enum whose value",
    "descriptions are the meanings below (the playground at `/graphql` shows the same). The rule says",
    "how a coder chooses a value; the example is the first record (by key) in `data/` that has it.",
    "Coding never goes beyond the source: a fact the publisher does not state is left out or null.",
    "",
  ];
  for (const { name, example } of VOCABULARIES) {
    const type = schema.getType(name);
    const values =
      type instanceof GraphQLEnumType
        ? type.getValues().map((v) => ({ name: v.name, description: v.description ?? "" }))
        : name === "CompanyRole"
          ? companyRoleValues(schema)
          : null;
    if (!values) continue;
    lines.push(`## ${name}`, "");
    if (type instanceof GraphQLEnumType && type.description) lines.push(type.description, "");
    lines.push(`**Coding rule.** ${RULES[name]}`, "", "| value | meaning | example from the data |", "|---|---|---|");
    for (const value of values)
      lines.push(`| \`${value.name}\` | ${cell(value.description)} | ${cell(example(bundle, value.name) ?? "none in this release")} |`);
    lines.push("");
  }
  lines.push(
    "## Breakout Scale",
    "",
    "Ben Nimmo's Breakout Scale (Brookings Institution, 2020), as threat reports use it to rate an influence operation's reach.",
    "",
  );
  lines.push(`**Coding rule.** ${BREAKOUT_SCALE_RULE}`, "", "| level | name | meaning | example from the data |", "|---|---|---|---|");
  const operations = withDerived(bundle);
  for (const level of BREAKOUT_SCALE) {
    const rated = first(
      operations.filter((o) => o.breakoutScale === level.level),
      (o) => `operation \`${o.key}\` (${o.name})`,
    );
    lines.push(`| ${level.level} | ${level.name} | ${cell(level.meaning)} | ${cell(rated ?? "none in this release")} |`);
  }
  lines.push("", "## Disclosures", "", "What one report stated about one operation (the `Disclosure` type, `operations[].disclosures` in a bundle).", "");
  lines.push(`**Coding rule.** ${DISCLOSURE_RULE}`);
  lines.push("", ...countingRules(schema));
  return lines.join("\n");
}

/** How operation statistics count, from the schema's own descriptions of the choices a caller makes. */
function countingRules(schema: GraphQLSchema): string[] {
  const lines = ["## How operation statistics count", ""];
  for (const name of ["CountUnit", "OperationDimension", "DateAxis"]) {
    const type = schema.getType(name);
    if (!(type instanceof GraphQLEnumType)) continue;
    lines.push(`### ${name}`, "");
    if (type.description) lines.push(type.description, "");
    lines.push("| value | meaning |", "|---|---|");
    for (const value of type.getValues()) lines.push(`| \`${value.name}\` | ${cell(value.description ?? "")} |`);
    lines.push("");
  }
  return lines;
}
