import { Check, Column, Entity, Index } from "typeorm";
import { ObjectType } from "type-graphql";
import { Node } from "../../common/node";
import { KeyedRecord } from "../../common/keyed-record";
import { Country } from "../country";
import type { SourceRef } from "../../common/source";
import { sourcesCheck } from "../../common/source-check";
import { company } from "../../common/records/company";
import { fieldOptions } from "../../common/records/graphql";
import { COMPANY_KIND_VOCABULARY, sqlIn } from "../../common/vocabulary";
import { describedEnum, type EnumValue } from "../../common/described-enum";
import { EnumColumn, ForeignKey, SourcesColumn, TextColumn, UpdatedAtColumn } from "../../common/columns";

/** What kind of organisation a company is. */
export const CompanyKind = describedEnum("CompanyKind", "What kind of organisation a company is.", COMPANY_KIND_VOCABULARY);
export type CompanyKind = EnumValue<typeof CompanyKind>;

export const COMPANY_KINDS = Object.values(CompanyKind);

/** An organisation: a report publisher, an AI provider, a platform, or an operator behind an operation. */
@Index("company_name_id_idx", { synchronize: false }) // keyset index, created by migration MaintainedFacts
@Index("company_search_idx", { synchronize: false }) // full-text GIN index, created by migration FullTextSearch
@Index("company_updated_at_id_idx", { synchronize: false }) // sync index, created by migration IncrementalSync
@Index("company_hq_country_key_id_idx", { synchronize: false }) // keyset index under a parent, created by migration ParentKeysetIndexes
@Index("company_hq_country_name_id_idx", { synchronize: false }) // keyset index under a parent, created by migration ParentKeysetIndexes
@Entity({ name: "company" })
@Check("company_sources_check", sourcesCheck(false))
@Check("company_kind_check", `kind IN ${sqlIn(COMPANY_KIND_VOCABULARY)}`)
@ObjectType({
  implements: Node,
  simpleResolvers: true,
  description:
    "An organisation: a publisher of threat reports, an AI provider whose models were misused, a platform that carried content, or an organisation named as behind an operation.",
})
export class Company extends KeyedRecord("Company", company) {
  @UpdatedAtColumn()
  updatedAt!: Date;

  @TextColumn(fieldOptions(company, "name"))
  name!: string;

  @Index()
  @EnumColumn(() => CompanyKind, fieldOptions(company, "kind"))
  kind!: CompanyKind;

  @Index()
  @Column({ type: "char", length: 2, name: "hq_country_code", nullable: true })
  hqCountryCode!: string | null;

  /** Foreign key only; the GraphQL field `hqCountry` is resolved through a loader. */
  @ForeignKey(() => Country, "hq_country_code", { nullable: true, onDelete: "RESTRICT" })
  hqCountry?: Country;

  @TextColumn(fieldOptions(company, "website"), { nullable: true })
  website!: string | null;

  @SourcesColumn(fieldOptions(company, "sources"), { default: () => "'[]'" })
  sources!: SourceRef[];
}
