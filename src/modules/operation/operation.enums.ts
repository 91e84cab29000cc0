import { registerEnumType } from "type-graphql";
import { ACTOR_TYPE_VOCABULARY, ATTRIBUTION_CONFIDENCE_VOCABULARY, OPERATION_CATEGORY_VOCABULARY, enumValuesConfig } from "../../common/vocabulary";

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
  valuesConfig: enumValuesConfig(OPERATION_CATEGORY_VOCABULARY),
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
  valuesConfig: enumValuesConfig(ACTOR_TYPE_VOCABULARY),
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
  valuesConfig: enumValuesConfig(ATTRIBUTION_CONFIDENCE_VOCABULARY),
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
