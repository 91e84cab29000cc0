/**
 * The codebook: every closed list of values the dataset uses, each value with its description, in one
 * place. The GraphQL enums take their value descriptions from here, the database CHECK constraints
 * are written from here (see `sqlIn`), and tests compare the bundle JSON Schema, the constraints in
 * pg_constraint and the GraphQL enums with these lists, so the three cannot drift apart.
 */

/** A list of values, each with the description the schema shows for it. */
export type Vocabulary = Readonly<Record<string, string>>;

export const OPERATION_CATEGORY_VOCABULARY = {
  INFLUENCE_OPERATION: "Covert attempts to sway opinion: fake personas, generated posts, articles or comments.",
  CYBER_OPERATION: "Intrusion and hacking activity: exploitation, lateral movement, data theft.",
  MALWARE_DEVELOPMENT: "Writing, debugging or improving malicious software.",
  PHISHING: "Crafting lures that trick targets into giving up credentials or running code.",
  SCAM: "Fraud for money: task scams, romance or investment scams, fake services.",
  SOCIAL_ENGINEERING: "Manipulating specific people through deceptive contact, short of plain phishing.",
  DECEPTIVE_EMPLOYMENT: "Obtaining jobs under false identities, e.g. fraudulent remote IT workers.",
  SURVEILLANCE: "Building or running tools to monitor people or groups.",
  RECONNAISSANCE: "Researching targets, technologies or vulnerabilities ahead of an operation.",
  OTHER: "Any other misuse.",
} as const satisfies Vocabulary;

export const ACTOR_TYPE_VOCABULARY = {
  STATE_LINKED: "Run by or linked to a government, military or intelligence service.",
  CRIMINAL: "Run for criminal gain.",
  COMMERCIAL: "Run by a company for hire, e.g. a marketing or influence-for-hire firm.",
  UNATTRIBUTED: "The publisher does not say who is behind it.",
} as const satisfies Vocabulary;

export const ATTRIBUTION_CONFIDENCE_VOCABULARY = {
  CONFIRMED: "The publisher says it outright.",
  LIKELY: "The publisher says likely, assesses, or links the operation to the country.",
  POSSIBLE: "The publisher says possibly, or names only some indicators.",
} as const satisfies Vocabulary;

export const COMPANY_KIND_VOCABULARY = {
  AI_PROVIDER: "Builds or serves AI models (OpenAI, Anthropic, Google, ...).",
  SOCIAL_PLATFORM: "A social network or content platform (X, Facebook, TikTok, ...).",
  MESSAGING_PLATFORM: "A messaging service (Telegram, WhatsApp, ...).",
  HARDWARE: "Makes devices or chips.",
  CLOUD: "Provides cloud infrastructure or hosting.",
  SECURITY_VENDOR: "A cybersecurity company.",
  MEDIA: "A news or media outlet.",
  GOVERNMENT_BODY: "A government agency, ministry, military unit or state body.",
  OTHER: "Any other organisation.",
} as const satisfies Vocabulary;

export const COMPANY_ROLE_VOCABULARY = {
  AI_TOOL: "A company whose AI models the operation misused.",
  PLATFORM: "A platform whose services carried the operation's content.",
  OPERATOR: "An organisation named as running or being behind the operation.",
} as const satisfies Vocabulary;

export const STANCE_VOCABULARY = {
  COMMENTARY: "Explains or comments on the findings.",
  DENIAL: "Denies involvement or the findings.",
  CONFIRMATION: "Confirms the findings or an attribution.",
  CONDEMNATION: "Condemns the activity.",
  POLICY: "Announces or discusses a policy response.",
} as const satisfies Vocabulary;

export const SOURCE_KIND_VOCABULARY = {
  PUBLISHER: "The publisher's own page or PDF: the report itself, its blog post, or another page on a threat-report publisher's own site.",
  MIRROR: "A third-party copy of a publisher's text (e.g. a GitHub repository mirroring a report): helps find the original, not a citation.",
  PRESS: "A news outlet's own reporting, e.g. coverage quoting the report or the people involved.",
  GOVERNMENT: "A government, parliament or intergovernmental body's page.",
  OTHER: "Any other page: blogs, research groups, aggregators. A record supported only by these is flagged on import.",
} as const satisfies Vocabulary;

/** Every list by the name tests and docs use for it. */
export const VOCABULARIES = {
  category: OPERATION_CATEGORY_VOCABULARY,
  actorType: ACTOR_TYPE_VOCABULARY,
  confidence: ATTRIBUTION_CONFIDENCE_VOCABULARY,
  companyKind: COMPANY_KIND_VOCABULARY,
  companyRole: COMPANY_ROLE_VOCABULARY,
  stance: STANCE_VOCABULARY,
  sourceKind: SOURCE_KIND_VOCABULARY,
} as const;

/** The values of a vocabulary, in codebook order. */
export function valuesOf(vocabulary: Vocabulary): string[] {
  return Object.keys(vocabulary);
}

/**
 * A vocabulary as an enum-like object (`{ A: "A", ... }`), so a GraphQL enum and the TypeScript
 * code name its values without writing the list a second time.
 */
export function enumOf<V extends Vocabulary>(vocabulary: V): { readonly [K in keyof V]: K } {
  return Object.fromEntries(Object.keys(vocabulary).map((value) => [value, value])) as { readonly [K in keyof V]: K };
}

/** type-graphql `valuesConfig` for an enum whose values are described by a vocabulary. */
export function enumValuesConfig(vocabulary: Vocabulary): Record<string, { description: string }> {
  return Object.fromEntries(Object.entries(vocabulary).map(([value, description]) => [value, { description }]));
}

/** A vocabulary's values as SQL string literals, `'A','B',...`. */
function sqlValues(vocabulary: Vocabulary): string {
  return valuesOf(vocabulary)
    .map((value) => `'${value}'`)
    .join(",");
}

/** The SQL list `('A','B',...)` of a vocabulary's values, for CHECK constraints written from the codebook. */
export function sqlIn(vocabulary: Vocabulary): string {
  return `(${sqlValues(vocabulary)})`;
}

/** The SQL array `ARRAY['A','B',...]::text[]` of a vocabulary's values. */
export function sqlArray(vocabulary: Vocabulary): string {
  return `ARRAY[${sqlValues(vocabulary)}]::text[]`;
}
