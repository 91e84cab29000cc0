import { Column, Entity, Index, PrimaryColumn } from "typeorm";
import { Field, Float, ObjectType } from "type-graphql";
import { describedEnum, type EnumValue } from "../../common/described-enum";
import { Node } from "../../common/node";
import { toGlobalId } from "../../common/global-id";
import { country } from "../../common/records/country";
import { fieldOptions } from "../../common/records/graphql";
import { EnumColumn, TextColumn } from "../../common/columns";

/** World regions as the countries package groups them. */
export const Region = describedEnum("Region", "A world region, as the UN geoscheme groups countries (from the `world-countries` package).", {
  AFRICA: "Africa.",
  AMERICAS: "North, Central and South America and the Caribbean.",
  ANTARCTIC: "Antarctica and the sub-Antarctic islands.",
  ASIA: "Asia, including the Middle East and Central Asia.",
  EUROPE: "Europe.",
  OCEANIA: "Australia, New Zealand and the Pacific islands.",
});
export type Region = EnumValue<typeof Region>;

/** A country or territory of ISO 3166-1; reference data seeded from the `world-countries` package. */
/** Each GraphQL field's description and nullability come from the declaration (src/common/records/country.ts). */
@Index("country_name_code_idx", { synchronize: false }) // keyset index, created by migration MaintainedFacts
@Entity({ name: "country" })
@ObjectType({ implements: Node, simpleResolvers: true, description: "A country or territory, identified by its ISO 3166-1 alpha-2 code." })
export class Country {
  @PrimaryColumn({ type: "char", length: 2 })
  @Field(fieldOptions(country, "code"))
  code!: string;

  @Column({ type: "char", length: 3, unique: true })
  @Field(fieldOptions(country, "alpha3"))
  alpha3!: string;

  @TextColumn(fieldOptions(country, "name"))
  name!: string;

  @Index()
  @EnumColumn(() => Region, fieldOptions(country, "region"))
  region!: Region;

  @TextColumn(fieldOptions(country, "subregion"), { nullable: true })
  subregion!: string | null;

  @Column({ type: "double precision" })
  @Field(() => Float, fieldOptions(country, "lat"))
  lat!: number;

  @Column({ type: "double precision" })
  @Field(() => Float, fieldOptions(country, "lng"))
  lng!: number;

  get nodeId(): string {
    return toGlobalId("Country", this.code);
  }
}
