import { Field, ObjectType } from "type-graphql";
import { SOURCE_KIND_VOCABULARY } from "./vocabulary";
import { describedEnum } from "./described-enum";
import type { EnumValue } from "./described-enum";
import type { SourceKind as SourceKindValue } from "./source-hosts";

/** What kind of page a source is, with the values of the codebook in vocabulary.ts. */
export const SourceKind = describedEnum(
  "SourceKind",
  "What kind of page a source is. The publisher's own page is the citation; mirrors only help find it.",
  SOURCE_KIND_VOCABULARY,
);
export type SourceKind = EnumValue<typeof SourceKind>;

/** A typed source as stored (jsonb) and served: keys in this order, optional ones left out when absent. */
export interface SourceRef {
  url: string;
  kind: SourceKindValue;
  title?: string;
  archivedUrl?: string;
}

@ObjectType("Source", { simpleResolvers: true, description: "A page a record's facts come from, typed by what kind of page it is." })
export class Source {
  @Field({ description: "Where the page is." })
  url!: string;

  @Field(() => SourceKind, { description: "What kind of page it is: the publisher's own, a mirror, press, government, or other." })
  kind!: SourceKind;

  @Field(() => String, { nullable: true, description: "The page's title, where recorded." })
  title?: string | null;

  @Field(() => String, { nullable: true, description: "A web-archive copy of the page, where recorded." })
  archivedUrl?: string | null;
}
