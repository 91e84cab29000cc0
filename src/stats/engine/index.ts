export { distribution } from "./distribution";
export { crossTab } from "./cross-tab";
export { timeSeries } from "./time-series";
export type { DateAxisSql, SeriesOptions } from "./time-series";
export { bucketStart, nextBucket, MAX_BUCKETS } from "./calendar";
export { humanize, NONE_KEY, OTHER_KEY, WHOLE } from "./dimension";
export type { Dimension, Run, StatsBase } from "./dimension";
