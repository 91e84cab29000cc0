import { Field, GraphQLISODateTime, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "What one import did to one kind of record." })
export class EntitySummaryRow {
  @Field({ description: "`companies`, `reports`, `operations` or `statements`." })
  entity!: string;

  @Field(() => Int, { description: "Records the import created." })
  created!: number;

  @Field(() => Int, { description: "Stored records the import changed." })
  updated!: number;

  @Field(() => Int, { description: "Records the bundle named that were already stored as it states them." })
  unchanged!: number;
}

@ObjectType({ description: "How many records of each kind are loaded." })
export class DatasetCounts {
  @Field(() => Int, { description: "Threat reports." })
  reports!: number;

  @Field(() => Int, { description: "Operations (each once, however many reports disclose it)." })
  operations!: number;

  @Field(() => Int, { description: "Disclosures: operation-report pairs." })
  disclosures!: number;

  @Field(() => Int, { description: "Statements." })
  statements!: number;

  @Field(() => Int, { description: "Companies and other organisations." })
  companies!: number;

  @Field(() => Int, { description: "Countries and territories (ISO 3166-1 reference data)." })
  countries!: number;
}

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
