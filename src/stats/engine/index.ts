export { distribution } from "./distribution";
export { crossTab } from "./cross-tab";
export { singleDate, timeSeries } from "./time-series";
export type { DateAxisSql, SeriesOptions } from "./time-series";
export { bucketStart, nextBucket, MAX_BUCKETS } from "./calendar";
export { COMPANY_LABELS, COUNTRY_LABELS, humanize, NONE_KEY, OTHER_KEY, WHOLE, one } from "./dimension";
export type { Dimension, Run, StatsBase } from "./dimension";
