import { ConnectionType } from "../../common/connection";
import { Statement } from "./statement.entity";

/** A page of statements: `StatementConnection` with `StatementEdge`. */
export const StatementConnection = ConnectionType(() => Statement, "Statement", "statement");
export type StatementConnection = InstanceType<typeof StatementConnection>;
