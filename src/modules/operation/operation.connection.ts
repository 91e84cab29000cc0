import { ConnectionType } from "../../common/connection";
import { Operation } from "./operation.entity";

/** A page of operations: `OperationConnection` with `OperationEdge`. */
export const OperationConnection = ConnectionType(() => Operation, "Operation", "operation");
export type OperationConnection = InstanceType<typeof OperationConnection>;
