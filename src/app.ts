import "reflect-metadata";
import type http from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer } from "@apollo/server";
import type { ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import type { GraphQLSchema } from "graphql";
import type { DataSource } from "typeorm";
import type { Config } from "./config";
import { openDatabase } from "./open-database";
import { migrate } from "./migrate";
import { buildAppSchema, recordTypeNames } from "./schema";
import type { Context } from "./context";
import { createHttpServer } from "./http/server";
import { createRoutes } from "./http/routes";
import { createReadinessCheck } from "./db/health";
import { revisionWatch } from "./db/revision";
import { configureReadRouting } from "./db/read-routing";
import type { ReadRouting } from "./db/read-routing";
import type { EmbeddedDatabase } from "./db/embedded";
import { poolOf, readPoolOf } from "./db/request-db";
import { observeStatements } from "./db/statement-observers";
import { MIGRATIONS } from "../migrations";
import { makeFormatError } from "./http/format-error";
import { loadDatasetIfEmpty } from "./import";
import { queryLimitsPlugin } from "./http/query-limits";
import { databaseUnavailablePlugin } from "./http/database-unavailable";
import { RateLimiter } from "./common/rate-limiter";
import { AnswerCache } from "./http/response-cache";
import { rateLimitPlugin } from "./http/rate-limit";
import { datasetExtensionPlugin } from "./http/dataset-extension";
import { DatasetVersionTracker, registerDatasetTracker, readReleaseManifest } from "./modules/dataset";
import { operationGuardPlugin } from "./http/edge-guards";
import { compiledExecutionGateway } from "./http/compiled-execution";
import { documentStore, persistedQueryCache } from "./http/document-caches";
import { assertPortFree } from "./http/port";

/** A built service, not yet listening: `listen` serves it, `close` drains and releases everything. */
export interface App {
  config: Config;
  dataSource: DataSource;
  httpServer: http.Server;
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** What only tests hand the service: `onStatement` hears the text of every statement requests run. */
export interface AppOptions {
  onStatement?: (text: string) => void;
}

/**
 * Builds the whole service from a configuration: database (embedded or by URL), migrations,
 * first-start dataset load, schema, Apollo Server and the HTTP server. Used by main.ts and the
 * tests alike, so tests exercise exactly what runs.
 */
export async function createApp(config: Config, log: (message: string) => void = () => undefined, options: AppOptions = {}): Promise<App> {
  // A busy port is found before a cluster is created or migrated, not after.
  await assertPortFree(config.host, config.port);
  const parts = await openServiceDatabase(config, log, options);
  const close = closeParts(parts);
  try {
    await prepareDatabase(parts.dataSource, config, log);
    await startServing(parts, config, log);
  } catch (error) {
    await close().catch(() => undefined);
    await parts.embedded?.discard().catch(() => undefined);
    throw error;
  }

  const server = parts.httpServer!;
  return { config, dataSource: parts.dataSource, httpServer: server, listen: () => listenOn(server, config), close };
}

/** What the service holds while it runs, filled in as start-up gets further: `close` releases what is there. */
interface ServiceParts {
  dataSource: DataSource;
  embedded: EmbeddedDatabase | null;
  routing: ReadRouting;
  readiness: ReturnType<typeof createReadinessCheck>;
  httpServer?: http.Server;
  apollo?: ApolloServer<Context>;
  limiter?: RateLimiter;
}

/**
 * Opens the database with what serving needs beside it: read routing, the tests' statement
 * observers on every pool, and the readiness check's own connections.
 */
async function openServiceDatabase(config: Config, log: (message: string) => void, options: AppOptions): Promise<ServiceParts> {
  const { dataSource, embedded } = await openDatabase(config, log, config.limits.statementTimeoutMs);
  const routing = configureReadRouting(dataSource, { failover: config.readFailover, log });
  if (options.onStatement) for (const pool of new Set([poolOf(dataSource), readPoolOf(dataSource)])) observeStatements(pool, options.onStatement);
  const readiness = createReadinessCheck(dataSource, MIGRATIONS.length);
  return { dataSource, embedded, routing, readiness };
}

/**
 * Shuts the service down in order, from whatever point start-up reached: drain the HTTP server
 * (or stop Apollo when it never listened), then the probes, the revision watch, the routing, the
 * rate limiter, the pool and the embedded database.
 */
function closeParts(parts: ServiceParts): () => Promise<void> {
  return async () => {
    if (parts.httpServer?.listening) {
      await parts.apollo?.stop(); // the drain plugin stops accepting and waits for in-flight requests
    } else {
      await parts.apollo?.stop().catch(() => undefined);
    }
    await parts.readiness.close().catch(() => undefined);
    await revisionWatch(parts.dataSource).close();
    parts.routing.close();
    await parts.limiter?.close();
    if (parts.dataSource.isInitialized) await parts.dataSource.destroy();
    await parts.embedded?.stop();
  };
}

/** Brings the database to the code's schema and, on a first start, loads the bundled dataset, logging how long each took. */
async function prepareDatabase(dataSource: DataSource, config: Config, log: (message: string) => void): Promise<void> {
  let started = Date.now();
  const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const { applied } = await migrate(dataSource);
  log(applied.length > 0 ? `migrations: applied ${applied.length} in ${seconds()} (${applied.join(", ")})` : `migrations: up to date (${seconds()})`);
  if (config.loadDatasetOnEmptyDatabase) {
    started = Date.now();
    const loaded = await loadDatasetIfEmpty(dataSource, config.dataDir, log);
    log(loaded ? `dataset: loaded in ${seconds()}` : "dataset: already loaded");
  }
}

/**
 * Builds the schema, Apollo Server and the HTTP server over an open, migrated database and starts
 * them; each part is recorded in `parts` as soon as it exists, so a failure releases it.
 */
async function startServing(parts: ServiceParts, config: Config, log: (message: string) => void): Promise<void> {
  const { dataSource, embedded } = parts;
  const datasetVersion = new DatasetVersionTracker(dataSource, readReleaseManifest(config.dataDir));
  registerDatasetTracker(dataSource, datasetVersion);
  const compiled = config.execution !== "standard";
  const schema = await buildAppSchema({ directResolvers: compiled });
  const limiter = (parts.limiter = new RateLimiter(config.rateLimit, log));
  const plugins = apolloPlugins(config, limiter, datasetVersion);
  // One formatError for GraphQL execution and the HTTP edge, so errors are answered alike.
  const formatError = makeFormatError(log, config.env === "development");
  const apollo = (parts.apollo = createApollo(config, schema, plugins, formatError));
  const httpServer = (parts.httpServer = createHttpServer({
    apollo,
    dataSource,
    formatError,
    maxBodyBytes: config.limits.maxBodyBytes,
    exposeSqlStatementCount: config.exposeSqlStatementCount,
    health: () => embedded?.health() ?? null,
    trustProxy: config.trustProxy,
    failedRequestsPerMinute: config.limits.failedRequestsPerMinute,
    maxConnectionsPerAddress: config.limits.maxConnectionsPerAddress,
    routes: createRoutes({ dataSource, config, log, rateLimiter: limiter, schema }),
    readiness: parts.readiness.check,
    requestDbLimits: { budgetMs: config.limits.requestBudgetMs, maxStatementsInFlight: config.limits.maxStatementsInFlight },
    answers: { cache: new AnswerCache(limiter, `${config.rateLimit.redisKeyPrefix}answer:`), limiter },
  }));
  // Slow senders are cut off; running queries are bounded by the statement timeout.
  httpServer.requestTimeout = config.limits.requestTimeoutMs;
  httpServer.headersTimeout = Math.min(config.limits.requestTimeoutMs, 20_000);
  apollo.addPlugin(ApolloServerPluginDrainHttpServer({ httpServer }));
  await apollo.start();
  await revisionWatch(dataSource).start();
}

/** The Apollo plugins every request passes through: limits, rate limit, guards, the dataset extension, and Apollo's defaults turned off. */
function apolloPlugins(config: Config, limiter: RateLimiter, datasetVersion: DatasetVersionTracker): ApolloServerPlugin<Context>[] {
  return [
    queryLimitsPlugin(config.limits),
    rateLimitPlugin(limiter),
    operationGuardPlugin(),
    databaseUnavailablePlugin(),
    // No @cacheControl hints and no federation traces here: without these two, Apollo would wrap
    // every field resolver of every request to serve them.
    ApolloServerPluginCacheControlDisabled(),
    ApolloServerPluginInlineTraceDisabled(),
    // Apollo's landing pages load from its CDN; the bundled playground (src/http/web.ts) replaces them.
    ApolloServerPluginLandingPageDisabled(),
    datasetExtensionPlugin(datasetVersion),
  ];
}

/** Apollo Server as the configuration asks: the execution path, error masking, parser and cache bounds. */
function createApollo(
  config: Config,
  schema: GraphQLSchema,
  plugins: ApolloServerPlugin<Context>[],
  formatError: ReturnType<typeof makeFormatError>,
): ApolloServer<Context> {
  const compiled = config.execution !== "standard";
  return new ApolloServer<Context>({
    // Compiled: graphql-jit behind Apollo's gateway interface; standard: Apollo runs graphql-js.
    ...(compiled ? { gateway: compiledExecutionGateway(schema, recordTypeNames(), config.execution === "sql") } : { schema }),
    plugins,
    formatError,
    includeStacktraceInErrorResponses: config.env === "development",
    introspection: true,
    parseOptions: { maxTokens: config.limits.maxTokens },
    // Caches clients fill with distinct documents are bounded in bytes (src/http/document-caches.ts).
    documentStore: documentStore(),
    persistedQueries: { cache: persistedQueryCache() },
    // No "Did you mean ...?" hints about the schema in production error messages.
    hideSchemaDetailsFromClientErrors: config.env === "production",
    // CSRF prevention guards cookie-authenticated APIs; this one has no cookies, and the guard
    // would refuse plain GET requests that GraphQL over HTTP allows.
    csrfPrevention: false,
    // main.ts owns SIGINT/SIGTERM so that shutdown runs in order: drain, pool, embedded database.
    stopOnTerminationSignals: false,
  });
}

/** Starts listening on the configured host and port; resolves to the URL of /graphql (an IPv6 host in brackets). */
function listenOn(server: http.Server, config: Config): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => {
      const { port } = server.address() as AddressInfo;
      resolve(`http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}/graphql`);
    });
  });
}
