import type { SourceRef } from "../../common/source";
import { classifySourceUrl } from "../../common/source-hosts";
import { company } from "../../common/records/company";
import { report } from "../../common/records/report";
import { operation } from "../../common/records/operation";
import { statement } from "../../common/records/statement";
import { country } from "../../common/records/country";
import { stixDate, stixId, uuidv5 } from "./stix-id";
import { externalReferences, ownReference, publisherByHost } from "./stix-references";
import type { PublisherOf } from "./stix-references";
import { stixProperties } from "./stix-properties";
import type { CompanyRow, OperationRow, ReportRow, StatementRow, StixData } from "./stix-data";

/** One STIX 2.1 object, properties in the order they are written. */
export type StixObject = { type: string; id: string } & Record<string, unknown>;

/**
 * How an origin's attribution confidence maps onto STIX `confidence` (0-100), on the Words of
 * Estimative Probability scale of the STIX 2.1 confidence-scales appendix: a publisher stating an
 * origin outright is "almost certain" (90), not "certain" (100), since it is still an assessment;
 * "likely / assessed" is "likely" (70); "possibly / some indicators" is "even chance" (50).
 */
export const CONFIDENCE: Record<string, number> = { CONFIRMED: 90, LIKELY: 70, POSSIBLE: 50 };

const later = (a: string, b: string | null) => (b && b > a ? b : a);

/**
 * The objects of one bundle as they are added, keyed by id: each object type's rendering in one
 * method, the properties a record's declaration maps (src/common/records) written from it, and
 * what each operation brings with it (its closure) kept for the reports that disclose it.
 */
class BundleBuilder {
  readonly objects = new Map<string, StixObject>();
  private readonly base: string;
  private readonly companies: Map<string, CompanyRow>;
  private readonly countries: Map<string, Record<string, unknown>>;
  private readonly publisherOf: PublisherOf;
  /** Per operation: its intrusion-set, its relationships and what they point at. */
  private readonly closure = new Map<string, Set<string>>();
  /** The publishers of the reports that disclosed each operation: its PUBLISHER pages are theirs. */
  private readonly disclosedBy = new Map<string, Set<string>>();

  constructor(data: StixData, baseline: string) {
    this.base = stixDate(baseline);
    this.companies = new Map(data.companies.map((c) => [c.key, c]));
    this.countries = new Map(data.countries.map((c) => [c.code, c]));
    this.publisherOf = publisherByHost(data.publishers);
    for (const r of data.reports) {
      const name = this.companies.get(r.publisher)!.name;
      for (const key of r.operationKeys) this.disclosedBy.set(key, (this.disclosedBy.get(key) ?? new Set()).add(name));
    }
  }

  private add(object: StixObject): void {
    this.objects.set(object.id, object);
  }

  /** The properties every object has; `modified` is never before `created`. */
  private common(type: string, key: string, created: string, modified: string) {
    return { type, spec_version: "2.1", id: stixId(type, key), created, modified: later(created, modified) };
  }

  private soleDiscloser(operation: string): string | null {
    const names = this.disclosedBy.get(operation);
    return names?.size === 1 ? [...names][0] : null;
  }

  /** A company's `identity`, added once; its website is its own page and goes by its name. */
  identityOf(key: string): string {
    const c = this.companies.get(key)!;
    const id = stixId("identity", c.key);
    if (this.objects.has(id)) return id;
    const website = c.website ? [{ url: c.website, kind: "PUBLISHER" as const, title: "Website" }] : [];
    this.add({
      ...this.common("identity", c.key, this.base, later(this.base, c.auditedAt)),
      ...stixProperties(company, c),
      identity_class: "organization",
      external_references: [
        ownReference("companies", c.key),
        ...externalReferences([...website, ...c.sources], (url) => (url === c.website ? c.name : this.publisherOf(url))),
      ],
    });
    return id;
  }

  /** A country's `location`, added once. */
  locationOf(code: string): string {
    const id = stixId("location", code);
    if (!this.objects.has(id))
      this.add({ ...this.common("location", code, this.base, this.base), ...stixProperties(country, this.countries.get(code) ?? { code, name: code }) });
    return id;
  }

  /** An AI provider's models as a `tool`, added once, with the provider's `identity` beside it. */
  toolOf(companyKey: string): string {
    const c = this.companies.get(companyKey)!;
    const id = stixId("tool", `ai-models:${companyKey}`);
    if (this.objects.has(id)) return id;
    this.add({
      ...this.common("tool", `ai-models:${companyKey}`, this.base, later(this.base, c.auditedAt)),
      name: `AI models of ${c.name}`,
      description: `The AI models and services of ${c.name}, as misused by the operations that use this tool.`,
      external_references: [ownReference("companies", c.key)],
    });
    this.identityOf(companyKey);
    return id;
  }

  /** An operator as a `threat-actor`, added once, `attributed-to` the company's `identity`. */
  actorOf(companyKey: string): string {
    const c = this.companies.get(companyKey)!;
    const id = stixId("threat-actor", companyKey);
    if (this.objects.has(id)) return id;
    this.add({
      ...this.common("threat-actor", companyKey, this.base, later(this.base, c.auditedAt)),
      name: c.name,
      description: `${c.name}, named as running or being behind operations in this bundle.`,
      external_references: [ownReference("companies", c.key)],
    });
    const identity = this.identityOf(companyKey);
    this.add({
      ...this.common("relationship", `attributed-to:${id}:${identity}`, this.base, later(this.base, c.auditedAt)),
      relationship_type: "attributed-to",
      source_ref: id,
      target_ref: identity,
    });
    return id;
  }

  /** An operation's `intrusion-set`, dated by its first and last disclosure. */
  addOperation(o: OperationRow): void {
    const created = stixDate(o.firstDisclosed);
    const set = this.common("intrusion-set", o.key, created, later(stixDate(o.lastDisclosed), o.auditedAt));
    this.add({
      ...set,
      ...stixProperties(operation, o),
      external_references: [ownReference("operations", o.key), ...externalReferences(o.sources, (url) => this.publisherOf(url) ?? this.soleDiscloser(o.key))],
    });
    this.closure.set(o.key, new Set([set.id]));
  }

  /** A relationship from an operation's intrusion-set, dated as the set, added to its closure with its target. */
  relate(operation: string, type: string, target: string, extra: Record<string, unknown> = {}): void {
    const source = stixId("intrusion-set", operation);
    const { created, modified } = this.objects.get(source)! as StixObject & { created: string; modified: string };
    const relationship = {
      ...this.common("relationship", `${type}:${source}:${target}`, created, modified),
      relationship_type: type,
      source_ref: source,
      target_ref: target,
      ...extra,
    };
    this.add(relationship);
    this.closure.get(operation)!.add(relationship.id).add(target);
  }

  /** Every edge of the selected operations: origins and targets, AI tools and operators. */
  addEdges(data: StixData): void {
    for (const o of data.origins) this.relate(o.operation, "originates-from", this.locationOf(o.country), { confidence: CONFIDENCE[o.confidence] });
    for (const t of data.targets) this.relate(t.operation, "targets", this.locationOf(t.country));
    for (const e of data.companyEdges) {
      if (e.role === "AI_TOOL") {
        this.relate(e.operation, "uses", this.toolOf(e.company));
        this.closure.get(e.operation)!.add(stixId("identity", e.company));
        continue;
      }
      const actor = this.actorOf(e.company);
      this.relate(e.operation, "attributed-to", actor);
      const identity = stixId("identity", e.company);
      this.closure
        .get(e.operation)!
        .add(identity)
        .add(stixId("relationship", `attributed-to:${actor}:${identity}`));
    }
  }

  /** A `report`, referring to what the operations it disclosed brought with them (or its publisher alone). */
  addReport(r: ReportRow): void {
    const published = stixDate(r.publishedOn);
    const publisher = this.identityOf(r.publisher);
    const publisherName = this.companies.get(r.publisher)!.name;
    // The report's URL is its publisher's page by definition: first, once, named after the publisher.
    const own: SourceRef = { ...(r.sources.find((s) => s.url === r.url) ?? { url: r.url }), kind: "PUBLISHER" };
    const refs = new Set<string>();
    for (const key of r.operationKeys) for (const id of this.closure.get(key) ?? []) refs.add(id);
    this.add({
      ...this.common("report", r.key, published, later(published, r.auditedAt)),
      ...stixProperties(report, r),
      created_by_ref: publisher,
      report_types: ["threat-report"],
      object_refs: refs.size ? [...refs].sort() : [publisher],
      external_references: [
        ownReference("reports", r.key),
        ...externalReferences([own, ...r.sources], (url) => (url === r.url ? publisherName : (this.publisherOf(url) ?? publisherName))),
      ],
    });
  }

  /** A statement as a `note` about the intrusion-sets and reports in the bundle (none: left out). */
  addStatement(s: StatementRow): void {
    const refs = [...s.operationKeys.map((k) => stixId("intrusion-set", k)), ...s.reportKeys.map((k) => stixId("report", k))]
      .filter((id) => this.objects.has(id))
      .sort();
    if (refs.length === 0) return;
    const said = s.saidOn ? stixDate(s.saidOn) : this.base;
    const speakingFor = s.organization && !(s.speakerRole ?? "").includes(s.organization) ? s.organization : null;
    const who = [s.speaker, s.speakerRole, speakingFor].filter(Boolean).join(", ");
    this.add({
      ...this.common("note", s.key, said, later(said, s.auditedAt)),
      ...stixProperties(statement, s),
      abstract: `${s.stance.charAt(0)}${s.stance.slice(1).toLowerCase()} by ${who}`,
      object_refs: refs,
      external_references: [
        ownReference("statements", s.key),
        ...externalReferences([{ url: s.sourceUrl, kind: classifySourceUrl(s.sourceUrl) }], this.publisherOf),
      ],
    });
  }

  /** The objects sorted by id, so the same database gives byte-identical bundles. */
  sorted(): StixObject[] {
    return [...this.objects.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}

/**
 * Builds one STIX 2.1 bundle from the selected records: `intrusion-set` per operation, `report` per
 * disclosing report, `identity` per company named, `location` per country, `tool` per AI provider's
 * models, `threat-actor` per named operator, `note` per statement, and the relationships between
 * them. Ids come from record keys and timestamps from the data (report dates, activity and
 * disclosure dates, curation times, else `baseline`), and objects are sorted by id, so the same
 * database gives byte-identical bundles.
 */
export function buildStixBundle(data: StixData, options: { baseline: string; bundleName: string }): { type: "bundle"; id: string; objects: StixObject[] } {
  const builder = new BundleBuilder(data, options.baseline);
  for (const o of data.operations) builder.addOperation(o);
  builder.addEdges(data);
  for (const r of data.reports) builder.addReport(r);
  for (const s of data.statements) builder.addStatement(s);
  return { type: "bundle", id: `bundle--${uuidv5(`bundle:${options.bundleName}`)}`, objects: builder.sorted() };
}
