import { registerEnumType } from "type-graphql";

/** What an operation did; an operation has one or more. */
export enum OperationCategory {
  INFLUENCE_OPERATION = "INFLUENCE_OPERATION",
  CYBER_OPERATION = "CYBER_OPERATION",
  MALWARE_DEVELOPMENT = "MALWARE_DEVELOPMENT",
  PHISHING = "PHISHING",
  SCAM = "SCAM",
  SOCIAL_ENGINEERING = "SOCIAL_ENGINEERING",
  DECEPTIVE_EMPLOYMENT = "DECEPTIVE_EMPLOYMENT",
  SURVEILLANCE = "SURVEILLANCE",
  RECONNAISSANCE = "RECONNAISSANCE",
  OTHER = "OTHER",
}

registerEnumType(OperationCategory, {
  name: "OperationCategory",
  description: "What an operation did. An operation has one or more categories.",
  valuesConfig: {
    INFLUENCE_OPERATION: { description: "Covert attempts to sway opinion: fake personas, generated posts, articles or comments." },
    CYBER_OPERATION: { description: "Intrusion and hacking activity: exploitation, lateral movement, data theft." },
    MALWARE_DEVELOPMENT: { description: "Writing, debugging or improving malicious software." },
    PHISHING: { description: "Crafting lures that trick targets into giving up credentials or running code." },
    SCAM: { description: "Fraud for money: task scams, romance or investment scams, fake services." },
    SOCIAL_ENGINEERING: { description: "Manipulating specific people through deceptive contact, short of plain phishing." },
    DECEPTIVE_EMPLOYMENT: { description: "Obtaining jobs under false identities, e.g. fraudulent remote IT workers." },
    SURVEILLANCE: { description: "Building or running tools to monitor people or groups." },
    RECONNAISSANCE: { description: "Researching targets, technologies or vulnerabilities ahead of an operation." },
    OTHER: { description: "Any other misuse." },
  },
});

/** Who is behind an operation, in broad terms. */
export enum ActorType {
  STATE_LINKED = "STATE_LINKED",
  CRIMINAL = "CRIMINAL",
  COMMERCIAL = "COMMERCIAL",
  UNATTRIBUTED = "UNATTRIBUTED",
}

registerEnumType(ActorType, {
  name: "ActorType",
  description: "Who is behind an operation, in broad terms.",
  valuesConfig: {
    STATE_LINKED: { description: "Run by or linked to a government, military or intelligence service." },
    CRIMINAL: { description: "Run for criminal gain." },
    COMMERCIAL: { description: "Run by a company for hire, e.g. a marketing or influence-for-hire firm." },
    UNATTRIBUTED: { description: "The publisher does not say who is behind it." },
  },
});

/** How firmly a publisher attributes an operation to a country. */
export enum AttributionConfidence {
  CONFIRMED = "CONFIRMED",
  LIKELY = "LIKELY",
  POSSIBLE = "POSSIBLE",
}

registerEnumType(AttributionConfidence, {
  name: "AttributionConfidence",
  description: "How firmly the publisher attributes an operation to a country of origin.",
  valuesConfig: {
    CONFIRMED: { description: "The publisher says it outright." },
    LIKELY: { description: "The publisher says likely, assesses, or links the operation to the country." },
    POSSIBLE: { description: "The publisher says possibly, or names only some indicators." },
  },
});

/** The role a company plays in an operation. */
export enum CompanyRole {
  AI_TOOL = "AI_TOOL",
  PLATFORM = "PLATFORM",
  OPERATOR = "OPERATOR",
}

export const OPERATION_CATEGORIES = Object.values(OperationCategory);
export const ACTOR_TYPES = Object.values(ActorType);
export const ATTRIBUTION_CONFIDENCES = Object.values(AttributionConfidence);
