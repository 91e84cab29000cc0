import {
  ACTOR_TYPE_VOCABULARY,
  ATTRIBUTION_CONFIDENCE_VOCABULARY,
  COMPANY_ROLE_VOCABULARY,
  OPERATION_CATEGORY_VOCABULARY,
  enumOf,
} from "../../common/vocabulary";
import { describedEnum } from "../../common/described-enum";
import type { EnumValue } from "../../common/described-enum";

/** What an operation did; an operation has one or more. */
export const OperationCategory = describedEnum(
  "OperationCategory",
  "What an operation did. An operation has one or more categories.",
  OPERATION_CATEGORY_VOCABULARY,
);
export type OperationCategory = EnumValue<typeof OperationCategory>;

/** Who is behind an operation, in broad terms. */
export const ActorType = describedEnum("ActorType", "Who is behind an operation, in broad terms.", ACTOR_TYPE_VOCABULARY);
export type ActorType = EnumValue<typeof ActorType>;

/** How firmly a publisher attributes an operation to a country. */
export const AttributionConfidence = describedEnum(
  "AttributionConfidence",
  "How firmly the publisher attributes an operation to a country of origin.",
  ATTRIBUTION_CONFIDENCE_VOCABULARY,
);
export type AttributionConfidence = EnumValue<typeof AttributionConfidence>;

/** The role a company plays in an operation: an edge kind, not a GraphQL enum (the edges are Operation fields). */
export const CompanyRole = enumOf(COMPANY_ROLE_VOCABULARY);
export type CompanyRole = EnumValue<typeof CompanyRole>;

export const OPERATION_CATEGORIES = Object.values(OperationCategory);
export const ACTOR_TYPES = Object.values(ActorType);
export const ATTRIBUTION_CONFIDENCES = Object.values(AttributionConfidence);
