import { ConnectionType } from "../../common/connection";
import { Company } from "./company.entity";

/** A page of companys: `CompanyConnection` with `CompanyEdge`. */
export const CompanyConnection = ConnectionType(() => Company, "Company", "company");
export type CompanyConnection = InstanceType<typeof CompanyConnection>;
