import type { Route, RouteDeps } from "../common/route";
import { webRoute } from "./web";
import { ExportDiscipline, exportRoutes } from "../export";
import { taxiiRoute } from "../taxii";
import { feedRoute } from "../feed";
import { bundleSchemaRoute } from "./bundle-schema";

/**
 * The service's routes besides /graphql, /healthz and /readyz, tried in order before the 404.
 * Each surface registers its handler here (one line), so the server itself stays routing only.
 * The exports, the TAXII collection and the feed share one discipline (one count of exports under way).
 */
export function createRoutes(deps: RouteDeps): Route[] {
  const discipline = new ExportDiscipline(deps);
  return [webRoute(deps), ...exportRoutes(deps, discipline), taxiiRoute(deps, discipline), feedRoute(deps, discipline), bundleSchemaRoute()];
}
