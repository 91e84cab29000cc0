import { afterAll, beforeAll, describe, expect, it } from "vitest";
import worldCountries from "world-countries";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { readDataset } from "../helpers/dataset";

const dataset = readDataset();
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const REPORT = `query ($key: String!) { report(key: $key) { id key title publishedOn url periodFrom periodTo summary sources { url } publisher { key } figures { label value qualifier } } }`;
const OPERATION = `query ($key: String!) { operation(key: $key) { id key name aliases categories actorType summary accountsBanned breakoutScale firstSeen lastSeen sources { url } } }`;
const COMPANY = `query ($key: String!) { company(key: $key) { id key name kind website hqCountry { code } } }`;
const STATEMENT = `query ($key: String!) { statement(key: $key) { id key quote speaker speakerRole saidOn stance sourceUrl organization { key } country { code } } }`;
const COUNTRY = `query ($code: String!) { country(code: $code) { id code alpha3 name region subregion lat lng } }`;

describe("lookups by key", () => {
  it("returns every report as the bundle states it", async () => {
    for (const r of dataset.reports) {
      const { report } = await t.data(REPORT, { key: r.key });
      expect(report).toMatchObject({
        key: r.key,
        title: r.title,
        publishedOn: r.publishedOn,
        url: r.url,
        periodFrom: r.periodFrom,
        periodTo: r.periodTo,
        summary: r.summary,
        sources: r.sources.map((source: string | { url: string }) => ({ url: typeof source === "string" ? source : source.url })),
        publisher: { key: r.publisher },
        figures: r.figures,
      });
    }
  });

  it("returns every operation's own fields as the bundle states them", async () => {
    for (const o of dataset.operations) {
      const { operation } = await t.data(OPERATION, { key: o.key });
      expect(operation).toMatchObject({
        key: o.key,
        name: o.name,
        aliases: o.aliases,
        categories: o.categories,
        actorType: o.actorType,
        summary: o.summary,
        accountsBanned: o.accountsBanned,
        breakoutScale: o.breakoutScale,
        firstSeen: o.firstSeen,
        lastSeen: o.lastSeen,
        sources: o.sources.map((source: string | { url: string }) => ({ url: typeof source === "string" ? source : source.url })),
      });
    }
  });

  it("returns every company and statement", async () => {
    for (const c of dataset.companies) {
      const { company } = await t.data(COMPANY, { key: c.key });
      expect(company).toMatchObject({ key: c.key, name: c.name, kind: c.kind, website: c.website, hqCountry: c.hqCountry ? { code: c.hqCountry } : null });
    }
    for (const s of dataset.statements) {
      const { statement } = await t.data(STATEMENT, { key: s.key });
      expect(statement).toMatchObject({
        key: s.key,
        quote: s.quote,
        speaker: s.speaker,
        speakerRole: s.speakerRole,
        saidOn: s.saidOn,
        stance: s.stance,
        sourceUrl: s.sourceUrl,
        organization: s.organization ? { key: s.organization } : null,
        country: s.country ? { code: s.country } : null,
      });
    }
  });

  it("looks countries up by code, case-insensitively, with the package's facts", async () => {
    const china = worldCountries.find((c) => c.cca2 === "CN")!;
    const { country } = await t.data(COUNTRY, { code: "cn" });
    expect(country).toMatchObject({
      code: "CN",
      alpha3: china.cca3,
      name: china.name.common,
      region: "ASIA",
      subregion: china.subregion,
      lat: china.latlng[0],
      lng: china.latlng[1],
    });
  });

  it("answers an unknown key or code with NOT_FOUND and a null field", async () => {
    for (const [query, variables] of [
      [REPORT, { key: "nobody-2020-01" }],
      [OPERATION, { key: "no-such-operation" }],
      [COMPANY, { key: "no-such-company" }],
      [STATEMENT, { key: "no-such-statement" }],
      [COUNTRY, { code: "QQ" }],
    ] as const) {
      const response = await t.gql(query, variables);
      expect(response.status).toBe(200);
      expect(Object.values(response.body.data!)).toEqual([null]);
      expect(response.body.errors).toHaveLength(1);
      expect(response.body.errors![0].extensions?.code).toBe("NOT_FOUND");
      expect(response.body.errors![0].message).toContain(String(Object.values(variables)[0]));
    }
  });
});

describe("global IDs", () => {
  it("round-trips every kind of record through node(id) and nodes(ids)", async () => {
    const samples = {
      report: (await t.data(REPORT, { key: dataset.reports[0].key })).report,
      operation: (await t.data(OPERATION, { key: dataset.operations[5].key })).operation,
      company: (await t.data(COMPANY, { key: dataset.companies[3].key })).company,
      statement: (await t.data(STATEMENT, { key: dataset.statements[2].key })).statement,
      country: (await t.data(COUNTRY, { code: "IR" })).country,
    };
    const ids = Object.values(samples).map((s) => s.id);
    expect(new Set(ids).size).toBe(5);
    for (const sample of Object.values(samples)) {
      const { node } = await t.data(
        `query ($id: ID!) { node(id: $id) { __typename id ... on Report { key } ... on Operation { key } ... on Company { key } ... on Statement { key } ... on Country { code } } }`,
        { id: sample.id },
      );
      expect(node.id).toBe(sample.id);
      expect(node.key ?? node.code).toBe(sample.key ?? sample.code);
    }
    const { nodes } = await t.data(`query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, { ids: [...ids].reverse() });
    expect(nodes.map((n: { id: string }) => n.id)).toEqual([...ids].reverse());
    expect(nodes.map((n: { __typename: string }) => n.__typename)).toEqual(["Country", "Statement", "Company", "Operation", "Report"]);
  });

  it("gives null for a well-formed ID of a missing record and an error for a malformed one", async () => {
    const missing = Buffer.from("Operation:not-there").toString("base64url");
    const { nodes } = await t.data(`query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [missing] });
    expect(nodes).toEqual([null]);
    for (const bad of ["%%%", Buffer.from("Spaceship:x").toString("base64url"), Buffer.from("Operation:").toString("base64url")]) {
      const response = await t.gql(`query ($id: ID!) { node(id: $id) { id } }`, { id: bad });
      expect(response.body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
      expect(response.body.errors?.[0].message).toMatch(/^id: .* is not a valid global ID$/);
    }
  });
});
