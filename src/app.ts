import "reflect-metadata";
import type http from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
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
  const { dataSource, embedded } = await openDatabase(config, log, config.limits.statementTimeoutMs);
  const routing = configureReadRouting(dataSource, { failover: config.readFailover, log });
  if (options.onStatement) for (const pool of new Set([poolOf(dataSource), readPoolOf(dataSource)])) observeStatements(pool, options.onStatement);
  const readiness = createReadinessCheck(dataSource, MIGRATIONS.length);
  let httpServer: http.Server | undefined;
  let apollo: ApolloServer<Context> | undefined;
  let limiter: RateLimiter | undefined;
  const close = async () => {
    if (httpServer?.listening) {
      await apollo?.stop(); // the drain plugin stops accepting and waits for in-flight requests
    } else {
      await apollo?.stop().catch(() => undefined);
    }
    await readiness.close().catch(() => undefined);
    await revisionWatch(dataSource).close();
    routing.close();
    await limiter?.close();
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
  };
  try {
    let started = Date.now();
    const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
    const { applied } = await migrate(dataSource);
    log(applied.length > 0 ? `migrations: applied ${applied.length} in ${seconds()} (${applied.join(", ")})` : `migrations: up to date (${seconds()})`);
    if (config.loadDatasetOnEmptyDatabase) {
      started = Date.now();
      const loaded = await loadDatasetIfEmpty(dataSource, config.dataDir, log);
      log(loaded ? `dataset: loaded in ${seconds()}` : "dataset: already loaded");
    }

    const datasetVersion = new DatasetVersionTracker(dataSource, readReleaseManifest(config.dataDir));
    registerDatasetTracker(dataSource, datasetVersion);
    const compiled = config.execution !== "standard";
    const schema = await buildAppSchema({ directResolvers: compiled });
    limiter = new RateLimiter(config.rateLimit, log);
    const plugins = [
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
    // One formatError for GraphQL execution and the HTTP edge, so errors are answered alike.
    const formatError = makeFormatError(log, config.env === "development");
    apollo = new ApolloServer<Context>({
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
    httpServer = createHttpServer({
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
      readiness: readiness.check,
      requestDbLimits: { budgetMs: config.limits.requestBudgetMs, maxStatementsInFlight: config.limits.maxStatementsInFlight },
      answers: { cache: new AnswerCache(limiter, `${config.rateLimit.redisKeyPrefix}answer:`), limiter },
    });
    // Slow senders are cut off; running queries are bounded by the statement timeout.
    httpServer.requestTimeout = config.limits.requestTimeoutMs;
    httpServer.headersTimeout = Math.min(config.limits.requestTimeoutMs, 20_000);
    apollo.addPlugin(ApolloServerPluginDrainHttpServer({ httpServer }));
    await apollo.start();
    await revisionWatch(dataSource).start();
  } catch (error) {
    await close().catch(() => undefined);
    await embedded?.discard().catch(() => undefined);
    throw error;
  }

  const server = httpServer;
  return {
    config,
    dataSource,
    httpServer: server,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(config.port, config.host, () => {
          const { port } = server.address() as AddressInfo;
          resolve(`http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}/graphql`);
        });
      }),
    close,
  };
}
