import { registerEnumType } from "type-graphql";

/** What operations can be counted by. */
export enum OperationDimension {
  ORIGIN_COUNTRY = "ORIGIN_COUNTRY",
  ORIGIN_REGION = "ORIGIN_REGION",
  TARGET_COUNTRY = "TARGET_COUNTRY",
  TARGET_REGION = "TARGET_REGION",
  CATEGORY = "CATEGORY",
  ACTOR_TYPE = "ACTOR_TYPE",
  PUBLISHER = "PUBLISHER",
  REPORT = "REPORT",
  AI_TOOL = "AI_TOOL",
  PLATFORM = "PLATFORM",
  OPERATOR = "OPERATOR",
  BREAKOUT_SCALE = "BREAKOUT_SCALE",
  DISCLOSURE_BREAKOUT_SCALE = "DISCLOSURE_BREAKOUT_SCALE",
  ORIGIN_CONFIDENCE = "ORIGIN_CONFIDENCE",
  YEAR = "YEAR",
  QUARTER = "QUARTER",
}

registerEnumType(OperationDimension, {
  name: "OperationDimension",
  description:
    "A dimension to count operations by. Multi-valued dimensions (countries, regions, categories, publishers, reports, years, companies, confidences) count an operation once in each of its values, so shares can sum above 1; an operation with no value falls in the NONE bucket. PUBLISHER, REPORT, YEAR, QUARTER and DISCLOSURE_BREAKOUT_SCALE are attributes of a disclosure (one report disclosing the operation): two of them, or one with the DISCLOSURE or FIRST_DISCLOSED date axis, are always paired within one disclosure, so an operation counts under (publisher P, year Y) only if a report of P published in Y disclosed it; and under a filter's disclosure conditions only the disclosures meeting them count.",
  valuesConfig: {
    ORIGIN_COUNTRY: { description: "Countries the operation is attributed to (key: ISO code; node: Country)." },
    ORIGIN_REGION: { description: "Regions of the countries the operation is attributed to." },
    TARGET_COUNTRY: { description: "Countries the operation targeted (key: ISO code; node: Country)." },
    TARGET_REGION: { description: "Regions of the countries the operation targeted." },
    CATEGORY: { description: "Operation categories." },
    ACTOR_TYPE: { description: "Actor type (single-valued)." },
    PUBLISHER: { description: "Publisher of each counted disclosure: companies whose reports disclosed the operation (key: company key; node: Company)." },
    REPORT: { description: "Report of each counted disclosure (key: report key; node: Report)." },
    AI_TOOL: { description: "Companies whose AI models the operation misused (node: Company)." },
    PLATFORM: { description: "Platforms that carried the operation's content (node: Company)." },
    OPERATOR: { description: "Organisations named as behind the operation (node: Company)." },
    BREAKOUT_SCALE: {
      description: "The operation's Breakout Scale rating (`Operation.breakoutScale`: the latest a report gave), `1` to `6` (single-valued).",
    },
    DISCLOSURE_BREAKOUT_SCALE: {
      description:
        "The Breakout Scale rating each counted disclosure gave, `1` to `6`: an operation re-rated by a later report counts under both ratings; a disclosure that gave none counts in NONE.",
    },
    ORIGIN_CONFIDENCE: { description: "Confidences of the operation's origin attributions." },
    YEAR: {
      description:
        "Year of each counted disclosure, `2025`: an operation counts once in every year a report disclosed it. For the year of first disclosure use `overTime(interval: YEAR, dateAxis: FIRST_DISCLOSED)`.",
    },
    QUARTER: { description: "Quarter of each counted disclosure, `2025-Q3`: an operation counts once in every quarter a report disclosed it." },
  },
});

/** What one count in an operation statistic stands for. */
export enum CountUnit {
  OPERATIONS = "OPERATIONS",
  DISCLOSURES = "DISCLOSURES",
}

registerEnumType(CountUnit, {
  name: "CountUnit",
  description: "What an operation statistic counts.",
  valuesConfig: {
    OPERATIONS: { description: "Distinct operations: an operation counts once per bucket however many reports disclosed it." },
    DISCLOSURES: {
      description:
        "Disclosures (operation-report pairs): an operation disclosed by three reports counts three times, each under its own report's publisher, date and rating.",
    },
  },
});

/** What reports can be counted by. */
export enum ReportDimension {
  PUBLISHER = "PUBLISHER",
  YEAR = "YEAR",
  QUARTER = "QUARTER",
}

registerEnumType(ReportDimension, {
  name: "ReportDimension",
  description: "A dimension to count reports by.",
  valuesConfig: {
    PUBLISHER: { description: "The publishing company (node: Company)." },
    YEAR: { description: "Year of publication." },
    QUARTER: { description: "Quarter of publication, `2025-Q3`." },
  },
});

/** What statements can be counted by. */
export enum StatementDimension {
  STANCE = "STANCE",
  ORGANIZATION = "ORGANIZATION",
  COUNTRY = "COUNTRY",
  YEAR = "YEAR",
}

registerEnumType(StatementDimension, {
  name: "StatementDimension",
  description: "A dimension to count statements by. Statements without a value fall in the NONE bucket.",
  valuesConfig: {
    STANCE: { description: "What the statement does." },
    ORGANIZATION: { description: "The organisation the speaker spoke for (node: Company)." },
    COUNTRY: { description: "The country the speaker spoke for (node: Country)." },
    YEAR: { description: "Year it was said." },
  },
});

/** Width of a time-series bucket. */
export enum TimeInterval {
  MONTH = "MONTH",
  QUARTER = "QUARTER",
  YEAR = "YEAR",
}

registerEnumType(TimeInterval, {
  name: "TimeInterval",
  description: "Width of a time-series bucket; buckets start on calendar boundaries in UTC.",
  valuesConfig: {
    MONTH: { description: "Calendar months." },
    QUARTER: { description: "Calendar quarters (January, April, July, October)." },
    YEAR: { description: "Calendar years." },
  },
});

/** Which date places an operation in time. */
export enum DateAxis {
  FIRST_DISCLOSED = "FIRST_DISCLOSED",
  DISCLOSURE = "DISCLOSURE",
  FIRST_SEEN = "FIRST_SEEN",
}

registerEnumType(DateAxis, {
  name: "DateAxis",
  description: "Which date places an operation in time.",
  valuesConfig: {
    FIRST_DISCLOSED: {
      description:
        "Publication date of the earliest counted report that disclosed it: one date per operation; split by a disclosure attribute (PUBLISHER, REPORT, ...), the values of that earliest disclosure.",
    },
    DISCLOSURE: {
      description:
        "Publication date of every counted report that disclosed it: an operation counts once in each bucket in which it was disclosed; split by a disclosure attribute, under the values of the disclosures in that bucket.",
    },
    FIRST_SEEN: { description: "Earliest activity date, where the sources give one; operations without it are left out and counted in `undated`." },
  },
});

/** What a bucket stands for. */
export enum BucketKind {
  VALUE = "VALUE",
  NONE = "NONE",
  OTHER = "OTHER",
}

registerEnumType(BucketKind, {
  name: "BucketKind",
  description: "What a bucket stands for.",
  valuesConfig: {
    VALUE: { description: "One value of the dimension." },
    NONE: { description: "Records with no value for the dimension (key `(none)`); never silently dropped." },
    OTHER: { description: "All values beyond the top `limit`, counted as distinct records (key `(other)`)." },
  },
});
