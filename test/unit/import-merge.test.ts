import { describe, expect, it } from "vitest";
import { bundleFromDocuments } from "../../src/import";
import { checkBundle } from "../../src/import/checks";
import { latestStated, mergeDisclosures, orderedDisclosures } from "../../src/import/disclosures";
import type { DisclosureRecord } from "../../src/import/disclosures";
import { finishRecord, mergeTyped } from "../../src/import/finish";
import type { Finisher } from "../../src/import/finish";
import { mergeSources, withPublisherSource } from "../../src/import/sources";
import type { OperationRecord, Problem } from "../../src/import/bundle";

// The importer's merge rules, from their documentation in src/import: a later bundle restates an
// operation's disclosures report by report, sources merge by URL without downgrading a curated
// kind, and an operation's own Breakout Scale and accounts banned follow its latest disclosure.
// Expected values are written out by hand from those rules.

const operation = (fields: Partial<OperationRecord>): OperationRecord => ({ key: "op", ...fields });

describe("mergeDisclosures: re-disclosures", () => {
  it("adds a new report's disclosure next to the stored ones", () => {
    const stored: DisclosureRecord[] = [{ report: "r1", breakoutScale: 2, nameInReport: "Bad Grammar" }];
    const merged = mergeDisclosures(stored, operation({ disclosures: [{ report: "r2", breakoutScale: 4, accountsBanned: 10 }] }), ["r1", "r2"], false);
    expect([...merged.values()]).toEqual([
      { report: "r1", breakoutScale: 2, nameInReport: "Bad Grammar" },
      { report: "r2", breakoutScale: 4, accountsBanned: 10 },
    ]);
  });

  it("lays a restated report's fields over the stored ones, keeping what it does not state", () => {
    const stored: DisclosureRecord[] = [{ report: "r1", breakoutScale: 2, nameInReport: "Bad Grammar", originConfidence: "LIKELY" }];
    const merged = mergeDisclosures(stored, operation({ disclosures: [{ report: "r1", breakoutScale: 3, originConfidence: null }] }), ["r1"], false);
    // breakoutScale restated, nameInReport kept, originConfidence explicitly withdrawn (null).
    expect(merged.get("r1")).toEqual({ report: "r1", breakoutScale: 3, nameInReport: "Bad Grammar", originConfidence: null });
  });

  it("does not change the stored disclosures it was given", () => {
    const stored: DisclosureRecord[] = [{ report: "r1", breakoutScale: 2 }];
    mergeDisclosures(stored, operation({ disclosures: [{ report: "r1", breakoutScale: 5 }] }), ["r1"], false);
    expect(stored).toEqual([{ report: "r1", breakoutScale: 2 }]);
  });

  it("with replace, keeps only the incoming disclosures", () => {
    const stored: DisclosureRecord[] = [
      { report: "r1", breakoutScale: 2 },
      { report: "r2", accountsBanned: 3 },
    ];
    const merged = mergeDisclosures(stored, operation({ disclosures: [{ report: "r2", breakoutScale: 1 }] }), ["r2"], true);
    expect([...merged.values()]).toEqual([{ report: "r2", breakoutScale: 1 }]);
  });

  it("gives an old-format record's operation-level values to its only report", () => {
    const incoming = operation({
      breakoutScale: 5,
      accountsBanned: 7,
      origin: [
        { country: "CN", confidence: "LIKELY" },
        { country: "RU", confidence: "LIKELY" },
      ],
    });
    expect([...mergeDisclosures([], incoming, ["r1"], false).values()]).toEqual([
      { report: "r1", breakoutScale: 5, accountsBanned: 7, originConfidence: "LIKELY" },
    ]);
  });

  it("gives no origin confidence when an old-format record's origins disagree on it", () => {
    const incoming = operation({
      breakoutScale: 1,
      origin: [
        { country: "CN", confidence: "LIKELY" },
        { country: "RU", confidence: "CONFIRMED" },
      ],
    });
    expect([...mergeDisclosures([], incoming, ["r1"], false).values()]).toEqual([{ report: "r1", breakoutScale: 1 }]);
  });

  it("cannot tell which of several reports an old-format record's values come from, so gives them to none", () => {
    const stored: DisclosureRecord[] = [{ report: "r1", breakoutScale: 2 }];
    expect([...mergeDisclosures(stored, operation({ breakoutScale: 6 }), ["r1", "r2"], false).values()]).toEqual([{ report: "r1", breakoutScale: 2 }]);
  });
});

describe("orderedDisclosures and latestStated", () => {
  const dates: Record<string, string> = { r1: "2024-05-30", r2: "2025-02-21", r3: "2025-02-21", r0: "2023-12-01" };

  it("orders by report date, then key, one per report, leaving out unstated fields", () => {
    const byReport = new Map<string, DisclosureRecord>([
      ["r3", { report: "r3", breakoutScale: 3, accountsBanned: null }],
      ["r1", { report: "r1", nameInReport: null, accountsBanned: 4 }],
    ]);
    expect(orderedDisclosures(byReport, ["r3", "r2", "r1", "r0"], (key) => dates[key])).toEqual([
      { report: "r0" },
      { report: "r1", accountsBanned: 4 },
      { report: "r2" },
      { report: "r3", breakoutScale: 3 },
    ]);
  });

  it("takes a value from the latest disclosure that states it, else the fallback", () => {
    const disclosures: DisclosureRecord[] = [{ report: "r0", breakoutScale: 1, accountsBanned: 9 }, { report: "r1", breakoutScale: 4 }, { report: "r2" }];
    expect(latestStated(disclosures, "breakoutScale", null)).toBe(4);
    expect(latestStated(disclosures, "accountsBanned", null)).toBe(9);
    expect(latestStated([{ report: "r0" }], "accountsBanned", 12)).toBe(12);
    expect(latestStated([], "breakoutScale", null)).toBeNull();
  });
});

describe("mergeSources", () => {
  const press = { url: "https://www.reuters.com/a", kind: "PRESS" as const };
  const blog = { url: "https://example.org/post", kind: "OTHER" as const };

  it("keeps a stored entry's kind when a bundle gives its URL as plain text (no downgrade)", () => {
    // reuters.com is a news host; the stored entry is curated as GOVERNMENT here on purpose.
    const curated = { url: "https://www.reuters.com/a", kind: "GOVERNMENT" as const, title: "Curated" };
    expect(mergeSources([curated], ["https://www.reuters.com/a"], false)).toEqual([curated]);
  });

  it("lets a typed source override the stored entry for its URL, in place", () => {
    expect(mergeSources([press, blog], [{ url: blog.url, kind: "PRESS", title: "Op-ed" }], false)).toEqual([
      press,
      { url: blog.url, kind: "PRESS", title: "Op-ed" },
    ]);
  });

  it("classifies a new plain URL by its host and appends it, once", () => {
    expect(
      mergeSources([press], ["https://web.archive.org/web/2024/x", "https://openai.com/global-affairs/y", "https://web.archive.org/web/2024/x"], false),
    ).toEqual([press, { url: "https://web.archive.org/web/2024/x", kind: "MIRROR" }, { url: "https://openai.com/global-affairs/y", kind: "PUBLISHER" }]);
  });

  it("with replace, drops stored sources the bundle does not give, but still keeps a curated kind for a URL it repeats", () => {
    const curated = { url: "https://www.reuters.com/a", kind: "GOVERNMENT" as const };
    expect(mergeSources([curated, blog], ["https://www.reuters.com/a"], true)).toEqual([curated]);
  });
});

describe("withPublisherSource", () => {
  it("puts the report URLs first as PUBLISHER sources when none is cited, once each", () => {
    const mirror = { url: "https://github.com/x/y", kind: "MIRROR" as const };
    const stalePress = { url: "https://a.example/r1", kind: "OTHER" as const };
    expect(withPublisherSource([mirror, stalePress], ["https://a.example/r1", "https://b.example/r2", "https://a.example/r1", ""])).toEqual([
      { url: "https://a.example/r1", kind: "PUBLISHER" },
      { url: "https://b.example/r2", kind: "PUBLISHER" },
      mirror,
    ]);
  });

  it("leaves sources alone when one is the publisher's", () => {
    const sources = [
      { url: "https://p.example/r", kind: "PUBLISHER" as const },
      { url: "https://github.com/x/y", kind: "MIRROR" as const },
    ];
    expect(withPublisherSource(sources, ["https://other.example/"])).toBe(sources);
  });
});

describe("mergeTyped and finishRecord for an operation", () => {
  const finisher = (): Finisher => ({
    reports: new Map([["r1", { key: "r1", url: "https://openai.com/r1", publishedOn: "2024-05-30" }]]),
    storedReports: new Map([["r2", { url: "https://openai.com/r2", publishedOn: "2025-02-21" }]]),
    warnings: [] as Problem[],
    problems: [] as Problem[],
  });

  it("lets a disclosure's report join reportKeys, orders by report date and takes figures from the latest disclosure stating them", () => {
    const stored = { key: "op", reportKeys: ["r2"], disclosures: [{ report: "r2", breakoutScale: 4 }], sources: [], breakoutScale: 4, accountsBanned: null };
    const incoming = { key: "op", disclosures: [{ report: "r1", breakoutScale: 2, accountsBanned: 5 }] };
    const base = { ...stored, key: "op" };
    const merged = mergeTyped("operations", base, stored, incoming, false);
    expect(merged.reportKeys).toEqual(["r2", "r1"]);
    const done = finishRecord("operations", merged, finisher(), { file: "bundle.json", path: "/operations/0" });
    expect(done.reportKeys).toEqual(["r1", "r2"]); // 2024-05-30 before 2025-02-21
    expect(done.disclosures).toEqual([
      { report: "r1", breakoutScale: 2, accountsBanned: 5 },
      { report: "r2", breakoutScale: 4 },
    ]);
    expect(done.breakoutScale).toBe(4); // r2, the latest, states 4
    expect(done.accountsBanned).toBe(5); // r2 does not state it; r1 does
    expect(done.sources).toEqual([
      { url: "https://openai.com/r1", kind: "PUBLISHER" },
      { url: "https://openai.com/r2", kind: "PUBLISHER" },
    ]);
  });

  it("accepts an operation supported only by mirrors, with a warning that names it", () => {
    const f = finisher();
    const record = {
      key: "op",
      reportKeys: ["r1"],
      disclosures: [],
      sources: [{ url: "https://github.com/x/y", kind: "MIRROR" }],
      breakoutScale: null,
      accountsBanned: null,
    };
    finishRecord("operations", record, f, { file: "bundle.json", path: "/operations/0" });
    expect(f.warnings).toEqual([
      {
        file: "bundle.json",
        path: "/operations/0",
        message: 'operation "op" is supported only by MIRROR sources: cite the publisher\'s page, press or a government page',
      },
    ]);
    const pressed = finisher();
    finishRecord("operations", { ...record, sources: [{ url: "https://www.reuters.com/a", kind: "PRESS" }] }, pressed, {
      file: "bundle.json",
      path: "/operations/0",
    });
    expect(pressed.warnings).toEqual([]);
  });
});

describe("an operation's values derived from its disclosures", () => {
  const finisher = (): Finisher => ({
    reports: new Map([
      ["r1", { key: "r1", url: "https://openai.com/r1", publishedOn: "2024-08-16" }],
      ["r2", { key: "r2", url: "https://openai.com/r2", publishedOn: "2025-06-05" }],
    ]),
    storedReports: new Map(),
    warnings: [] as Problem[],
    problems: [] as Problem[],
  });
  const where = { file: "bundle.json", path: "operations[0]" };
  const record = {
    key: "op",
    reportKeys: ["r2", "r1"],
    disclosures: [
      { report: "r2", breakoutScale: 1, originConfidence: "LIKELY", quote: "we would assess this as Category 1", locator: "Impact" },
      { report: "r1", breakoutScale: 2, accountsBanned: 12, originConfidence: "CONFIRMED" },
    ],
    origin: [{ country: "IR" }],
    sources: [],
    breakoutScale: null,
    accountsBanned: null,
  };

  it("takes rating, accounts and origin confidence from the latest report stating each, and keeps quote and locator", () => {
    const f = finisher();
    const done = finishRecord("operations", record, f, where);
    expect(f.problems).toEqual([]);
    expect(done.breakoutScale).toBe(1); // r2 (2025-06-05) re-rated the operation
    expect(done.accountsBanned).toBe(12); // only r1 states it
    expect(done.origin).toEqual([{ country: "IR", confidence: "LIKELY" }]);
    expect(done.disclosures).toEqual([
      { report: "r1", breakoutScale: 2, accountsBanned: 12, originConfidence: "CONFIRMED" },
      { report: "r2", breakoutScale: 1, originConfidence: "LIKELY", quote: "we would assess this as Category 1", locator: "Impact" },
    ]);
  });

  it("refuses an old-format value that disagrees with the disclosures, and an origin no one gives a confidence", () => {
    const f = finisher();
    finishRecord("operations", record, f, where, { key: "op", reportKeys: ["r1"], breakoutScale: 2, origin: [{ country: "IR", confidence: "LIKELY" }] });
    expect(f.problems.map((p) => p.path)).toEqual(["operations[0].breakoutScale"]);
    const g = finisher();
    finishRecord("operations", { ...record, disclosures: [{ report: "r1", breakoutScale: 2 }] }, g, where);
    expect(g.problems).toEqual([
      { file: "bundle.json", path: "operations[0].origin[0].confidence", message: 'origin IR has no confidence, and no disclosure of "op" states one' },
    ]);
  });
});

describe("the bundle checks for values given twice", () => {
  const operation = (extra: object) => ({
    key: "op",
    name: "Op",
    reportKeys: ["r1"],
    categories: ["SCAM"],
    actorType: "CRIMINAL",
    summary: "An operation.",
    sources: [{ url: "https://openai.com/r1", kind: "PUBLISHER" }],
    ...extra,
  });
  const problems = (op: object) => {
    const b = bundleFromDocuments("t", [{ file: "a.json", value: { operations: [op] } }]);
    const known = {
      companies: new Set<string>(),
      reports: new Set(["r1"]),
      operations: new Set<string>(),
      statements: new Set<string>(),
      countries: new Set(["IR"]),
    };
    return checkBundle(b, known).map((p) => `${p.path}: ${p.message}`);
  };

  it("refuses breakoutScale, accountsBanned and origin confidence beside disclosures that give them", () => {
    expect(
      problems(
        operation({
          disclosures: [{ report: "r1", originConfidence: "LIKELY" }],
          breakoutScale: 2,
          accountsBanned: 3,
          origin: [{ country: "IR", confidence: "LIKELY" }],
        }),
      ),
    ).toEqual([
      'operations[0].breakoutScale: "op" gives disclosures, so breakoutScale comes from the latest one that states it: leave breakoutScale out here',
      'operations[0].accountsBanned: "op" gives disclosures, so accountsBanned comes from the latest one that states it: leave accountsBanned out here',
      'operations[0].origin[0].confidence: "op" gives origin confidence in its disclosures: leave it out of origin',
    ]);
  });

  it("accepts values given once, and asks for a confidence nobody gives", () => {
    expect(problems(operation({ disclosures: [{ report: "r1", breakoutScale: 2, originConfidence: "LIKELY" }], origin: [{ country: "IR" }] }))).toEqual([]);
    expect(problems(operation({ breakoutScale: 2, origin: [{ country: "IR", confidence: "LIKELY" }] }))).toEqual([]);
    expect(problems(operation({ disclosures: [{ report: "r1" }], origin: [{ country: "IR" }] }))).toEqual([
      'operations[0].origin[0].confidence: origin IR has no confidence, and no disclosure of "op" states one',
    ]);
  });
});

describe("mergeTyped for a statement's source kind", () => {
  it("keeps the stored kind for the same URL, classifies a new URL, and takes a kind the bundle states", () => {
    const stored = { key: "s", sourceUrl: "https://www.reuters.com/a", sourceKind: "GOVERNMENT" };
    expect(mergeTyped("statements", { ...stored }, stored, { key: "s", sourceUrl: "https://www.reuters.com/a" }, false).sourceKind).toBe("GOVERNMENT");
    expect(mergeTyped("statements", { ...stored }, stored, { key: "s", sourceUrl: "https://web.archive.org/web/x" }, false).sourceKind).toBe("MIRROR");
    expect(
      mergeTyped("statements", { ...stored }, stored, { key: "s", sourceUrl: "https://web.archive.org/web/x", sourceKind: "PRESS" }, false).sourceKind,
    ).toBe("PRESS");
  });
});
