import { Field, GraphQLISODateTime, ObjectType } from "type-graphql";
import { ObjectFields, counts, field } from "../../common/described-object";

@ObjectType({ description: "What one import did to one kind of record." })
export class EntitySummaryRow extends ObjectFields({
  entity: field(() => String, "`companies`, `reports`, `operations` or `statements`."),
  ...counts({
    created: "Records the import created.",
    updated: "Stored records the import changed.",
    unchanged: "Records the bundle named that were already stored as it states them.",
  }),
}) {}

@ObjectType({ description: "How many records of each kind are loaded." })
export class DatasetCounts extends ObjectFields(
  counts({
    reports: "Threat reports.",
    operations: "Operations (each once, however many reports disclose it).",
    disclosures: "Disclosures: operation-report pairs.",
    statements: "Statements.",
    companies: "Companies and other organisations.",
    countries: "Countries and territories (ISO 3166-1 reference data).",
  }),
) {}

@ObjectType({ description: "Provenance of the loaded data: counts, a content hash, and the imports that built it." })
export class Dataset {
  @Field(() => DatasetCounts, { description: "Records loaded, per kind." })
  counts!: DatasetCounts;

  @Field({
    description:
      "XOR of the SHA-256 of each stored company, report, operation and statement in canonical bundle form (keys, not internal ids), kept current by every write: two databases with the same hash hold the same facts, however they were written (docs/content-hash.md).",
  })
  contentHash!: string;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: "When the latest import that created or changed a record was committed; null before any import.",
  })
  loadedAt!: Date | null;
}
