import type http from "node:http";
import type { GraphQLSchema } from "graphql";
import type { DataSource } from "typeorm";
import type { Config } from "../config";
import type { RateLimiter } from "./rate-limiter";

/** What a route handler may use: the database, the configuration, the log and the API's schema. */
export interface RouteDeps {
  dataSource: DataSource;
  /** The schema the service built once at start: exports read their filters' and statistics' input types from it. */
  schema: GraphQLSchema;
  config: Config;
  log: (message: string) => void;
  /** The service's rate limiter, so exports and queries draw on one budget per client. */
  rateLimiter?: RateLimiter;
}

/**
 * A handler for paths beside /graphql (pages, exports, published schemas). It answers the request
 * and returns true when the path is its own, and returns false without touching `res` otherwise.
 */
export type Route = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => Promise<boolean> | boolean;
