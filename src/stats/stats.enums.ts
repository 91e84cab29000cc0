import { describedEnums } from "../common/described-enum";
import type { EnumValue } from "../common/described-enum";

/** The statistics' enums, in one table: each enum's description, then each value's. */
const STATS_ENUMS = describedEnums({
  OperationDimension: [
    "A dimension to count operations by. Multi-valued dimensions (countries, regions, categories, publishers, reports, years, companies, confidences) count an operation once in each of its values, so shares can sum above 1; an operation with no value falls in the NONE bucket. PUBLISHER, REPORT, YEAR, QUARTER and DISCLOSURE_BREAKOUT_SCALE are attributes of a disclosure (one report disclosing the operation): two of them, or one with the DISCLOSURE or FIRST_DISCLOSED date axis, are always paired within one disclosure, so an operation counts under (publisher P, year Y) only if a report of P published in Y disclosed it; and under a filter's disclosure conditions only the disclosures meeting them count.",
    {
      ORIGIN_COUNTRY: "Countries the operation is attributed to (key: ISO code; node: Country).",
      ORIGIN_REGION: "Regions of the countries the operation is attributed to.",
      TARGET_COUNTRY: "Countries the operation targeted (key: ISO code; node: Country).",
      TARGET_REGION: "Regions of the countries the operation targeted.",
      CATEGORY: "Operation categories.",
      ACTOR_TYPE: "Actor type (single-valued).",
      PUBLISHER: "Publisher of each counted disclosure: companies whose reports disclosed the operation (key: company key; node: Company).",
      REPORT: "Report of each counted disclosure (key: report key; node: Report).",
      AI_TOOL: "Companies whose AI models the operation misused (node: Company).",
      PLATFORM: "Platforms that carried the operation's content (node: Company).",
      OPERATOR: "Organisations named as behind the operation (node: Company).",
      BREAKOUT_SCALE: "The operation's Breakout Scale rating (`Operation.breakoutScale`: the latest a report gave), `1` to `6` (single-valued).",
      DISCLOSURE_BREAKOUT_SCALE:
        "The Breakout Scale rating each counted disclosure gave, `1` to `6`: an operation re-rated by a later report counts under both ratings; a disclosure that gave none counts in NONE.",
      ORIGIN_CONFIDENCE: "Confidences of the operation's origin attributions.",
      YEAR: "Year of each counted disclosure, `2025`: an operation counts once in every year a report disclosed it. For the year of first disclosure use `overTime(interval: YEAR, dateAxis: FIRST_DISCLOSED)`.",
      QUARTER: "Quarter of each counted disclosure, `2025-Q3`: an operation counts once in every quarter a report disclosed it.",
    },
  ],
  CountUnit: [
    "What an operation statistic counts.",
    {
      OPERATIONS: "Distinct operations: an operation counts once per bucket however many reports disclosed it.",
      DISCLOSURES:
        "Disclosures (operation-report pairs): an operation disclosed by three reports counts three times, each under its own report's publisher, date and rating.",
    },
  ],
  CountryRole: [
    "Which side of an operation a country is on.",
    {
      ORIGIN: "Operations attributed to the country.",
      TARGET: "Operations that targeted the country.",
    },
  ],
  CompanyStatsRole: [
    "Which part a company plays in the operations counted.",
    {
      AI_TOOL: "Operations that misused the company's AI models.",
      PLATFORM: "Operations whose content appeared on the company's platform.",
      OPERATOR: "Operations the organisation is named as behind.",
      PUBLISHER: "Operations disclosed in the company's reports.",
    },
  ],
  ReportDimension: [
    "A dimension to count reports by.",
    {
      PUBLISHER: "The publishing company (node: Company).",
      YEAR: "Year of publication.",
      QUARTER: "Quarter of publication, `2025-Q3`.",
    },
  ],
  StatementDimension: [
    "A dimension to count statements by. Statements without a value fall in the NONE bucket.",
    {
      STANCE: "What the statement does.",
      ORGANIZATION: "The organisation the speaker spoke for (node: Company).",
      COUNTRY: "The country the speaker spoke for (node: Country).",
      YEAR: "Year it was said.",
    },
  ],
  TimeInterval: [
    "Width of a time-series bucket; buckets start on calendar boundaries in UTC.",
    {
      MONTH: "Calendar months.",
      QUARTER: "Calendar quarters (January, April, July, October).",
      YEAR: "Calendar years.",
    },
  ],
  DateAxis: [
    "Which date places an operation in time.",
    {
      FIRST_DISCLOSED:
        "Publication date of the earliest counted report that disclosed it: one date per operation; split by a disclosure attribute (PUBLISHER, REPORT, ...), the values of that earliest disclosure.",
      DISCLOSURE:
        "Publication date of every counted report that disclosed it: an operation counts once in each bucket in which it was disclosed; split by a disclosure attribute, under the values of the disclosures in that bucket.",
      FIRST_SEEN: "Earliest activity date, where the sources give one; operations without it are left out and counted in `undated`.",
    },
  ],
  BucketKind: [
    "What a bucket stands for.",
    {
      VALUE: "One value of the dimension.",
      NONE: "Records with no value for the dimension (key `(none)`); never silently dropped.",
      OTHER: "All values beyond the top `limit`, counted as distinct records (key `(other)`).",
    },
  ],
});

export const { OperationDimension, CountUnit, CountryRole, CompanyStatsRole, ReportDimension, StatementDimension, TimeInterval, DateAxis, BucketKind } =
  STATS_ENUMS;
/** What operations can be counted by. */
export type OperationDimension = EnumValue<typeof OperationDimension>;
/** What one count in an operation statistic stands for. */
export type CountUnit = EnumValue<typeof CountUnit>;
/** Which operations a country's statistics count: those from it, or those aimed at it. */
export type CountryRole = EnumValue<typeof CountryRole>;
/** Which operations a company's statistics count: its part in them. */
export type CompanyStatsRole = EnumValue<typeof CompanyStatsRole>;
/** What reports can be counted by. */
export type ReportDimension = EnumValue<typeof ReportDimension>;
/** What statements can be counted by. */
export type StatementDimension = EnumValue<typeof StatementDimension>;
/** Width of a time-series bucket. */
export type TimeInterval = EnumValue<typeof TimeInterval>;
/** Which date places an operation in time. */
export type DateAxis = EnumValue<typeof DateAxis>;
/** What a bucket stands for. */
export type BucketKind = EnumValue<typeof BucketKind>;
