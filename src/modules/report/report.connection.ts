import { ConnectionType } from "../../common/connection";
import { Report } from "./report.entity";

/** A page of reports: `ReportConnection` with `ReportEdge`. */
export const ReportConnection = ConnectionType(() => Report, "Report", "report");
export type ReportConnection = InstanceType<typeof ReportConnection>;
