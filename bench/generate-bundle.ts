/**
 * Synthetic bundles for tests and benchmarks, never for the dataset: every name says SYNTHETIC and
 * every source is an example.invalid URL. Deterministic for a seed.
 */

/** mulberry32: a small seeded PRNG, so a seed always gives the same bundle. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CATEGORIES = [
  "INFLUENCE_OPERATION",
  "CYBER_OPERATION",
  "MALWARE_DEVELOPMENT",
  "PHISHING",
  "SCAM",
  "SOCIAL_ENGINEERING",
  "DECEPTIVE_EMPLOYMENT",
  "SURVEILLANCE",
  "RECONNAISSANCE",
  "OTHER",
];
const ACTOR_TYPES = ["STATE_LINKED", "CRIMINAL", "COMMERCIAL", "UNATTRIBUTED"];
const CONFIDENCES = ["CONFIRMED", "LIKELY", "POSSIBLE"];
const STANCES = ["COMMENTARY", "DENIAL", "CONFIRMATION", "CONDEMNATION", "POLICY"];
const KINDS = ["AI_PROVIDER", "SOCIAL_PLATFORM", "MESSAGING_PLATFORM", "CLOUD", "MEDIA", "GOVERNMENT_BODY", "OTHER"];

export interface GenerateOptions {
  seed: number;
  operations: number;
  /** ISO codes to draw countries from (the generator must not invent codes). */
  countries: string[];
}

/** A bundle of synthetic records: companies, reports (about one per 25 operations), operations and statements. */
export function generateBundle({ seed, operations: count, countries }: GenerateOptions) {
  const random = prng(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(values: T[]) => values[int(values.length)];
  const some = <T>(values: T[], max: number) => [...new Set(Array.from({ length: int(max + 1) }, () => pick(values)))];
  const date = (fromYear: number, years: number) => {
    const day = new Date(Date.UTC(fromYear, 0, 1) + int(years * 365) * 86_400_000);
    return day.toISOString().slice(0, 10);
  };
  const source = (kind: string, key: string) => `https://example.invalid/synthetic/${kind}/${key}`;
  const hot = countries.slice(0, Math.min(12, countries.length));

  const companies = Array.from({ length: Math.max(8, Math.ceil(count / 200)) }, (_, i) => ({
    key: `synthetic-co-${i}`,
    name: `SYNTHETIC Company ${i}`,
    kind: i < 4 ? "AI_PROVIDER" : pick(KINDS),
    hqCountry: random() < 0.8 ? pick(hot) : null,
    website: null,
    sources: [],
  }));
  const publishers = companies.slice(0, 4).map((c) => c.key);
  const reports = Array.from({ length: Math.max(3, Math.ceil(count / 25)) }, (_, i) => ({
    key: `synthetic-${i}`,
    title: `SYNTHETIC report ${i}`,
    publisher: pick(publishers),
    publishedOn: date(2023, 4),
    url: source("report", String(i)),
    periodFrom: null,
    periodTo: null,
    summary: "SYNTHETIC report for tests and benchmarks.",
    figures: [],
    sources: [source("report", String(i))],
  }));
  const companyKeys = companies.map((c) => c.key);
  const withoutDisclosures = <T extends object>(disclosures: unknown[] | undefined, values: T): Partial<T> => (disclosures ? {} : values);
  const operations = Array.from({ length: count }, (_, i) => {
    const firstSeen = random() < 0.3 ? date(2022, 3) : null;
    const reportKeys = some(
      reports.map((r) => r.key),
      2,
    )
      .concat(reports[i % reports.length].key)
      .filter((k, j, all) => all.indexOf(k) === j);
    // Half the re-disclosed operations say what each report stated (publishers re-rate).
    const disclosures =
      reportKeys.length > 1 && random() < 0.5
        ? reportKeys.map((report) => ({ report, breakoutScale: random() < 0.7 ? 1 + int(6) : null, accountsBanned: random() < 0.4 ? int(5000) : null }))
        : undefined;
    return {
      key: `synthetic-op-${i}`,
      name: `SYNTHETIC operation ${i}`,
      aliases: [],
      reportKeys,
      ...(disclosures ? { disclosures } : {}),
      categories: [pick(CATEGORIES), ...some(CATEGORIES, 1)].filter((c, j, all) => all.indexOf(c) === j),
      actorType: pick(ACTOR_TYPES),
      origin: some(random() < 0.7 ? hot : countries, random() < 0.25 ? 0 : 2).map((country) => ({ country, confidence: pick(CONFIDENCES) })),
      targets: some(countries, 3),
      aiTools: some(publishers, 2),
      platforms: some(companyKeys.slice(4), 3),
      operators: random() < 0.1 ? [pick(companyKeys.slice(4))] : [],
      // An operation that gives disclosures takes these from them; drawn anyway, so every seed keeps its sequence.
      ...withoutDisclosures(disclosures, { accountsBanned: random() < 0.3 ? int(5000) : null, breakoutScale: random() < 0.6 ? 1 + int(6) : null }),
      firstSeen,
      lastSeen: firstSeen && random() < 0.5 ? firstSeen : null,
      summary: "SYNTHETIC operation for tests and benchmarks.",
      sources: [source("operation", String(i))],
    };
  });
  const statements = Array.from({ length: Math.ceil(count / 10) }, (_, i) => ({
    key: `synthetic-st-${i}`,
    speaker: `SYNTHETIC Speaker ${i % 17}`,
    speakerRole: null,
    organization: random() < 0.7 ? pick(companyKeys) : null,
    country: random() < 0.3 ? pick(hot) : null,
    saidOn: random() < 0.9 ? date(2023, 4) : null,
    quote: "SYNTHETIC quote.",
    stance: pick(STANCES),
    reportKeys: some(
      reports.map((r) => r.key),
      1,
    ),
    operationKeys: some(
      operations.map((o) => o.key),
      2,
    ),
    sourceUrl: source("statement", String(i)),
  }));
  return { batch: `synthetic-${seed}`, curatedOn: "2026-01-01", companies, reports, operations, statements };
}
