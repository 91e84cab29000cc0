import type { Route, RouteDeps } from "../common/route";
import { webRoute } from "./web";
import { exportRoutes } from "../export";
import { bundleSchemaRoute } from "./bundle-schema";

/**
 * The service's routes besides /graphql, /healthz and /readyz, tried in order before the 404.
 * Each surface registers its handler here (one line), so the server itself stays routing only.
 */
export function createRoutes(deps: RouteDeps): Route[] {
  return [webRoute(deps), ...exportRoutes(deps), bundleSchemaRoute()];
}
