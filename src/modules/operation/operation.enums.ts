import { registerEnumType } from "type-graphql";
import { ACTOR_TYPE_VOCABULARY, ATTRIBUTION_CONFIDENCE_VOCABULARY, OPERATION_CATEGORY_VOCABULARY, enumOf, enumValuesConfig } from "../../common/vocabulary";

/** What an operation did; an operation has one or more. */
export const OperationCategory = enumOf(OPERATION_CATEGORY_VOCABULARY);
export type OperationCategory = keyof typeof OPERATION_CATEGORY_VOCABULARY;

registerEnumType(OperationCategory, {
  name: "OperationCategory",
  description: "What an operation did. An operation has one or more categories.",
  valuesConfig: enumValuesConfig(OPERATION_CATEGORY_VOCABULARY),
});

/** Who is behind an operation, in broad terms. */
export const ActorType = enumOf(ACTOR_TYPE_VOCABULARY);
export type ActorType = keyof typeof ACTOR_TYPE_VOCABULARY;

registerEnumType(ActorType, {
  name: "ActorType",
  description: "Who is behind an operation, in broad terms.",
  valuesConfig: enumValuesConfig(ACTOR_TYPE_VOCABULARY),
});

/** How firmly a publisher attributes an operation to a country. */
export const AttributionConfidence = enumOf(ATTRIBUTION_CONFIDENCE_VOCABULARY);
export type AttributionConfidence = keyof typeof ATTRIBUTION_CONFIDENCE_VOCABULARY;

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
