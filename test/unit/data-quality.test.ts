import { describe, expect, it } from "vitest";
import { bundleFromDocuments, dataQuality } from "../../src/import";

const report = (key: string, publisher: string, publishedOn: string, sources: unknown[]) => ({
  key,
  title: "A report",
  publisher,
  publishedOn,
  url: `https://${publisher}.example/${key}`,
  summary: "A report.",
  sources,
});

const bundle = bundleFromDocuments("test", [
  {
    file: "a.json",
    value: {
      reports: [
        report("alpha-2025-01", "alpha", "2025-01-10", [{ url: "https://openai.com/a", kind: "PUBLISHER" }]),
        report("alpha-2026-02", "alpha", "2026-02-01", ["https://github.com/x/y/blob/main/a.md"]),
        report("beta-2026-03", "beta", "2026-03-01", ["https://www.anthropic.com/news/b", "https://www.tipranks.com/news/b"]),
      ],
      operations: [
        {
          key: "op-shared",
          name: "Shared",
          reportKeys: ["alpha-2025-01", "beta-2026-03"],
          categories: ["SCAM"],
          actorType: "CRIMINAL",
          summary: "An operation.",
          sources: [{ url: "https://www.axios.com/x", kind: "PRESS" }],
          breakoutScale: 2,
        },
      ],
      statements: [{ key: "st-one", speaker: "A", quote: "Q", stance: "COMMENTARY", reportKeys: ["beta-2026-03"], sourceUrl: "https://sumtrix.com/?p=1" }],
    },
  },
]);

describe("dataQuality", () => {
  const q = dataQuality(bundle);

  it("reads a valid bundle", () => {
    expect(bundle.problems).toEqual([]);
  });

  it("counts records per publisher and year", () => {
    expect(q.byPublisherYear).toEqual([
      { publisher: "alpha", year: "2025", reports: 1, operations: 1, statements: 0 },
      { publisher: "alpha", year: "2026", reports: 1, operations: 0, statements: 0 },
      { publisher: "beta", year: "2026", reports: 1, operations: 1, statements: 1 },
    ]);
  });

  it("counts sources by kind, plain URLs classified by host and statement sources included", () => {
    expect(q.sourcesByKind).toEqual({ PUBLISHER: 2, MIRROR: 1, PRESS: 1, GOVERNMENT: 0, OTHER: 2 });
  });

  it("names records that list no PUBLISHER source, and every aggregator cited", () => {
    expect(q.withoutPublisher.map((r) => `${r.kind} ${r.key}`)).toEqual(["reports alpha-2026-02", "operations op-shared"]);
    expect(q.aggregatorHosts.map((a) => [a.host, a.records.map((r) => r.key)])).toEqual([
      ["sumtrix.com", ["st-one"]],
      ["tipranks.com", ["beta-2026-03"]],
    ]);
  });

  it("finds operations disclosed by more than one publisher, and empty fields by share", () => {
    expect(q.multiPublisher).toEqual([{ key: "op-shared", publishers: ["alpha", "beta"] }]);
    expect(q.emptyFields.find((f) => f.kind === "operations" && f.field === "breakoutScale")).toEqual({
      kind: "operations",
      field: "breakoutScale",
      empty: 0,
      total: 1,
    });
    expect(q.emptyFields.find((f) => f.kind === "reports" && f.field === "figures")).toEqual({ kind: "reports", field: "figures", empty: 3, total: 3 });
  });
});

describe("dataQuality's rules for sources and disclosures", () => {
  const op = (key: string, extra: object) => ({
    key,
    name: key,
    categories: ["SCAM"],
    actorType: "CRIMINAL",
    summary: "An operation.",
    sources: [{ url: "https://openai.com/o", kind: "PUBLISHER" }],
    ...extra,
  });
  const q = dataQuality(
    bundleFromDocuments("test", [
      {
        file: "b.json",
        value: {
          companies: [
            { key: "weak-co", name: "Weak", kind: "OTHER", sources: [{ url: "https://blog.example.org/x", kind: "OTHER" }] },
            { key: "bare-co", name: "Bare", kind: "OTHER" },
          ],
          reports: [
            report("alpha-2025-01", "alpha", "2025-01-10", [
              { url: "https://openai.com/a", kind: "PUBLISHER" },
              { url: "https://github.com/facebook/threat-research", kind: "MIRROR" },
              { url: "https://www.euronews.com/next/x", kind: "OTHER" },
            ]),
            report("alpha-2026-02", "alpha", "2026-02-01", [{ url: "https://openai.com/b", kind: "PUBLISHER" }]),
          ],
          operations: [
            op("typed-twice", { reportKeys: ["alpha-2025-01", "alpha-2026-02"], breakoutScale: 2, origin: [{ country: "RU", confidence: "LIKELY" }] }),
            op("one-missing", { reportKeys: ["alpha-2025-01", "alpha-2026-02"], disclosures: [{ report: "alpha-2025-01", breakoutScale: 2 }] }),
            op("per-disclosure", {
              reportKeys: ["alpha-2025-01", "alpha-2026-02"],
              disclosures: [
                { report: "alpha-2025-01", breakoutScale: 3, originConfidence: "CONFIRMED" },
                { report: "alpha-2026-02", breakoutScale: 2 },
              ],
              origin: [{ country: "RU" }],
            }),
            op("single", { reportKeys: ["alpha-2025-01"], breakoutScale: 2, origin: [{ country: "RU", confidence: "LIKELY" }] }),
          ],
          statements: [{ key: "st-weak", speaker: "A", quote: "Q", stance: "COMMENTARY", sourceUrl: "https://web.archive.org/web/x", sourceKind: "MIRROR" }],
        },
      },
    ]),
  );

  it("names every source whose kind is not its host's: Meta's repository root is PUBLISHER, euronews PRESS", () => {
    expect(q.kindMismatches.map((m) => [m.record.key, m.url, m.given, m.byHost])).toEqual([
      ["alpha-2025-01", "https://github.com/facebook/threat-research", "MIRROR", "PUBLISHER"],
      ["alpha-2025-01", "https://www.euronews.com/next/x", "OTHER", "PRESS"],
    ]);
  });

  it("names companies and statements resting on MIRROR or OTHER alone, not those citing nothing", () => {
    expect(q.weakOnly.map((r) => `${r.kind} ${r.key}`)).toEqual(["companies weak-co", "statements st-weak"]);
  });

  it("names operations with several reports that type a value themselves or miss a report's disclosure", () => {
    expect(q.disclosureGaps.map((g) => `${g.record.key}: ${g.message}`)).toEqual([
      "typed-twice: disclosed by 2 reports but types breakoutScale, origin confidence itself: state each report's value in its disclosure",
      "typed-twice: disclosed by 2 reports but has no disclosure for alpha-2025-01, alpha-2026-02",
      "one-missing: disclosed by 2 reports but has no disclosure for alpha-2026-02",
    ]);
  });
});
