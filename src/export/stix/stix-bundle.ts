import type { SourceRef } from "../../common/source";
import { classifySourceUrl, hostOf } from "../../common/source-hosts";
import { stixDate, stixId, uuidv5 } from "./stix-id";
import type { PublisherPages, StixData } from "./stix-data";

/** One STIX 2.1 object, properties in the order they are written. */
export type StixObject = { type: string; id: string } & Record<string, unknown>;

/**
 * How an origin's attribution confidence maps onto STIX `confidence` (0-100), on the Words of
 * Estimative Probability scale of the STIX 2.1 confidence-scales appendix: a publisher stating an
 * origin outright is "almost certain" (90), not "certain" (100), since it is still an assessment;
 * "likely / assessed" is "likely" (70); "possibly / some indicators" is "even chance" (50).
 */
export const CONFIDENCE: Record<string, number> = { CONFIRMED: 90, LIKELY: 70, POSSIBLE: 50 };

const kebab = (value: string) => value.toLowerCase().replace(/_/g, "-");
const later = (a: string, b: string | null) => (b && b > a ? b : a);

/** One entry of `external_references`: the source's name, and where it is or what it is called. */
export interface ExternalReference {
  source_name: string;
  url?: string;
  description?: string;
  external_id?: string;
}

/** Names the publisher whose own page a URL is, or null when that cannot be told. */
export type PublisherOf = (url: string) => string | null;

/**
 * Tells a PUBLISHER page's publisher by its host: the publisher whose reports (their URLs and their
 * PUBLISHER sources) are on that host, else the one whose website is that host or a parent of it;
 * null when no publisher, or more than one, fits.
 */
export function publisherByHost(publishers: PublisherPages[]): PublisherOf {
  const byHost = new Map<string, Set<string>>();
  const websites: { host: string; name: string }[] = [];
  for (const publisher of publishers) {
    for (const url of publisher.urls) {
      const host = hostOf(url);
      if (host) byHost.set(host, (byHost.get(host) ?? new Set()).add(publisher.name));
    }
    const site = publisher.website ? hostOf(publisher.website) : null;
    if (site) websites.push({ host: site, name: publisher.name });
  }
  return (url) => {
    const host = hostOf(url);
    if (!host) return null;
    let names = byHost.get(host) ?? new Set<string>();
    if (names.size === 0) names = new Set(websites.filter((w) => host === w.host || host.endsWith(`.${w.host}`)).map((w) => w.name));
    return names.size === 1 ? [...names][0] : null;
  };
}

/**
 * Renders a record's sources as `external_references`, the one rendering every object type uses
 * (docs/stix.md, "Sources"). Each source becomes `{ source_name, url, description? }`: `url` its URL
 * unchanged, `description` its title where recorded, and `source_name` what the source is: for a
 * PUBLISHER page the publisher's name (`publisherOf`, else `publisher: <host>`), for any other kind
 * the kind in lower case and the host, e.g. `press: reuters.com`, `government: oecd.ai`. A web-archive
 * copy (`archivedUrl`) follows its source as a mirror. A URL is given once, at its first mention.
 */
export function externalReferences(sources: SourceRef[], publisherOf: PublisherOf): ExternalReference[] {
  const seen = new Set<string>();
  const references: ExternalReference[] = [];
  const add = (reference: ExternalReference & { url: string }) => {
    if (seen.has(reference.url)) return;
    seen.add(reference.url);
    references.push(reference);
  };
  for (const source of sources) {
    const host = hostOf(source.url) ?? source.url;
    const name = source.kind === "PUBLISHER" ? (publisherOf(source.url) ?? `publisher: ${host}`) : `${source.kind.toLowerCase()}: ${host}`;
    add({ source_name: name, url: source.url, ...(source.title ? { description: source.title } : {}) });
    if (source.archivedUrl) {
      add({
        source_name: `mirror: ${hostOf(source.archivedUrl) ?? source.archivedUrl}`,
        url: source.archivedUrl,
        description: `Archived copy of ${source.url}`,
      });
    }
  }
  return references;
}

const ownReference = (kind: string, key: string) => ({ source_name: "misuse-graph", external_id: `${kind}/${key}` });

/**
 * Builds one STIX 2.1 bundle from the selected records: `intrusion-set` per operation, `report` per
 * disclosing report, `identity` per company named, `location` per country, `tool` per AI provider's
 * models, `threat-actor` per named operator, `note` per statement, and the relationships between
 * them. Ids come from record keys and timestamps from the data (report dates, activity and
 * disclosure dates, curation times, else `baseline`), and objects are sorted by id, so the same
 * database gives byte-identical bundles.
 */
export function buildStixBundle(data: StixData, options: { baseline: string; bundleName: string }): { type: "bundle"; id: string; objects: StixObject[] } {
  const base = stixDate(options.baseline);
  const objects = new Map<string, StixObject>();
  const add = (object: StixObject) => objects.set(object.id, object);
  const common = (type: string, key: string, created: string, modified: string) => ({
    type,
    spec_version: "2.1",
    id: stixId(type, key),
    created,
    modified: later(created, modified),
  });

  const companies = new Map(data.companies.map((c) => [c.key, c]));
  const publisherOf = publisherByHost(data.publishers);
  // The publishers of the reports that disclosed each operation: its PUBLISHER pages are theirs.
  const disclosedBy = new Map<string, Set<string>>();
  for (const r of data.reports) {
    for (const key of r.operationKeys) disclosedBy.set(key, (disclosedBy.get(key) ?? new Set()).add(companies.get(r.publisher)!.name));
  }
  const soleDiscloser = (operation: string) => {
    const names = disclosedBy.get(operation);
    return names?.size === 1 ? [...names][0] : null;
  };
  const identityOf = (key: string) => {
    const c = companies.get(key)!;
    const id = stixId("identity", c.key);
    if (!objects.has(id)) {
      add({
        ...common("identity", c.key, base, later(base, c.auditedAt)),
        name: c.name,
        identity_class: "organization",
        labels: [kebab(c.kind)],
        // The website is the company's own page: it goes by the company's name.
        external_references: [
          ownReference("companies", c.key),
          ...externalReferences([...(c.website ? [{ url: c.website, kind: "PUBLISHER" as const, title: "Website" }] : []), ...c.sources], (url) =>
            url === c.website ? c.name : publisherOf(url),
          ),
        ],
      });
    }
    return id;
  };
  const countries = new Map(data.countries.map((c) => [c.code, c.name]));
  const locationOf = (code: string) => {
    const id = stixId("location", code);
    if (!objects.has(id)) add({ ...common("location", code, base, base), name: countries.get(code) ?? code, country: code });
    return id;
  };
  const toolOf = (companyKey: string) => {
    const c = companies.get(companyKey)!;
    const id = stixId("tool", `ai-models:${companyKey}`);
    if (!objects.has(id)) {
      add({
        ...common("tool", `ai-models:${companyKey}`, base, later(base, c.auditedAt)),
        name: `AI models of ${c.name}`,
        description: `The AI models and services of ${c.name}, as misused by the operations that use this tool.`,
        external_references: [ownReference("companies", c.key)],
      });
      // The provider itself, with its website and sources, is an identity beside its models.
      identityOf(companyKey);
    }
    return id;
  };
  const actorOf = (companyKey: string) => {
    const c = companies.get(companyKey)!;
    const id = stixId("threat-actor", companyKey);
    if (!objects.has(id)) {
      add({
        ...common("threat-actor", companyKey, base, later(base, c.auditedAt)),
        name: c.name,
        description: `${c.name}, named as running or being behind operations in this bundle.`,
        external_references: [ownReference("companies", c.key)],
      });
      const identity = identityOf(companyKey);
      add({
        ...common("relationship", `attributed-to:${id}:${identity}`, base, later(base, c.auditedAt)),
        relationship_type: "attributed-to",
        source_ref: id,
        target_ref: identity,
      });
    }
    return id;
  };

  // What each operation brings with it: its intrusion-set, relationships and their targets.
  const closure = new Map<string, Set<string>>();
  for (const o of data.operations) {
    const created = stixDate(o.firstDisclosed);
    const modified = later(stixDate(o.lastDisclosed), o.auditedAt);
    const set = common("intrusion-set", o.key, created, modified);
    add({
      ...set,
      name: o.name,
      description: o.summary,
      ...(o.aliases.length ? { aliases: o.aliases } : {}),
      ...(o.firstSeen ? { first_seen: stixDate(o.firstSeen) } : {}),
      ...(o.lastSeen ? { last_seen: stixDate(o.lastSeen) } : {}),
      labels: [...o.categories.map(kebab), kebab(o.actorType)],
      external_references: [ownReference("operations", o.key), ...externalReferences(o.sources, (url) => publisherOf(url) ?? soleDiscloser(o.key))],
    });
    closure.set(o.key, new Set([set.id]));
  }
  const relate = (operation: string, type: string, target: string, extra: Record<string, unknown> = {}) => {
    const source = stixId("intrusion-set", operation);
    const { created, modified } = objects.get(source)! as unknown as { created: string; modified: string };
    const relationship = {
      ...common("relationship", `${type}:${source}:${target}`, created, modified),
      relationship_type: type,
      source_ref: source,
      target_ref: target,
      ...extra,
    };
    add(relationship);
    closure.get(operation)!.add(relationship.id).add(target);
  };
  for (const o of data.origins) relate(o.operation, "originates-from", locationOf(o.country), { confidence: CONFIDENCE[o.confidence] });
  for (const t of data.targets) relate(t.operation, "targets", locationOf(t.country));
  for (const e of data.companyEdges) {
    if (e.role === "AI_TOOL") {
      relate(e.operation, "uses", toolOf(e.company));
      closure.get(e.operation)!.add(stixId("identity", e.company));
    } else {
      const actor = actorOf(e.company);
      relate(e.operation, "attributed-to", actor);
      const identity = stixId("identity", e.company);
      closure
        .get(e.operation)!
        .add(identity)
        .add(stixId("relationship", `attributed-to:${actor}:${identity}`));
    }
  }

  for (const r of data.reports) {
    const published = stixDate(r.publishedOn);
    const publisher = identityOf(r.publisher);
    const publisherName = companies.get(r.publisher)!.name;
    // The report's URL is its publisher's page by definition: first, once, named after the publisher.
    const own: SourceRef = { ...(r.sources.find((s) => s.url === r.url) ?? { url: r.url }), kind: "PUBLISHER" };
    const refs = new Set<string>();
    for (const key of r.operationKeys) for (const id of closure.get(key) ?? []) refs.add(id);
    add({
      ...common("report", r.key, published, later(published, r.auditedAt)),
      created_by_ref: publisher,
      name: r.title,
      description: r.summary,
      report_types: ["threat-report"],
      published,
      // A report that disclosed no operation (whole-dataset export) is about its publisher's findings.
      object_refs: refs.size ? [...refs].sort() : [publisher],
      external_references: [
        ownReference("reports", r.key),
        ...externalReferences([own, ...r.sources], (url) => (url === r.url ? publisherName : (publisherOf(url) ?? publisherName))),
      ],
    });
  }

  for (const s of data.statements) {
    const refs = [...s.operationKeys.map((k) => stixId("intrusion-set", k)), ...s.reportKeys.map((k) => stixId("report", k))]
      .filter((id) => objects.has(id))
      .sort();
    if (refs.length === 0) continue;
    const said = s.saidOn ? stixDate(s.saidOn) : base;
    const speakingFor = s.organization && !(s.speakerRole ?? "").includes(s.organization) ? s.organization : null;
    const who = [s.speaker, s.speakerRole, speakingFor].filter(Boolean).join(", ");
    add({
      ...common("note", s.key, said, later(said, s.auditedAt)),
      abstract: `${s.stance.charAt(0)}${s.stance.slice(1).toLowerCase()} by ${who}`,
      content: s.quote,
      authors: [s.speaker],
      object_refs: refs,
      labels: [kebab(s.stance)],
      external_references: [
        ownReference("statements", s.key),
        ...externalReferences([{ url: s.sourceUrl, kind: classifySourceUrl(s.sourceUrl) }], publisherOf),
      ],
    });
  }

  const sorted = [...objects.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { type: "bundle", id: `bundle--${uuidv5(`bundle:${options.bundleName}`)}`, objects: sorted };
}
