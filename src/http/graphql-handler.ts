import type http from "node:http";
import type { ApolloServer } from "@apollo/server";
import { HeaderMap } from "@apollo/server";
import type { HTTPGraphQLResponse } from "@apollo/server";
import type { DataSource } from "typeorm";
import { createContext } from "../context";
import type { Context } from "../context";
import { RequestDb, readSource } from "../db/request-db";
import type { RequestDbLimits } from "../db/request-db";
import { readsFromPrimary } from "../common/read-preference";
import { authenticate } from "./authenticate";
import { readGraphQLBody } from "./body";
import { applyGetCache, cacheableGet, planAt, planGetCache } from "./cache";
import type { GetCachePlan } from "./cache";
import { readRevision } from "../db/revision";
import { EdgeError } from "./edge-error";
import { badCharacterInRequest } from "./edge-guards";
import type { FailureThrottle } from "./failure-throttle";
import { CORS_HEADERS } from "./headers";
import { pointsFor } from "../common/rate-limiter";
import type { RateLimiter } from "../common/rate-limiter";
import type { AnswerCache } from "./response-cache";

/** What the /graphql handler needs besides the request. */
export interface GraphQLHandlerOptions {
  apollo: ApolloServer<Context>;
  dataSource: DataSource;
  maxBodyBytes: number;
  exposeSqlStatementCount: boolean;
  throttle: FailureThrottle;
  requestDbLimits: RequestDbLimits;
  /** The shared GET answer cache and the limiter a hit is charged to; none: every request executes. */
  answers?: { cache: AnswerCache; limiter: RateLimiter };
}

/**
 * Answers /graphql (GET and POST, per GraphQL over HTTP): refuses an address over its failure
 * budget, reads and checks the body, authenticates, then lets Apollo Server execute and copies its
 * answer out with the CORS, statement-count and caching headers. Refusals are thrown as
 * EdgeErrors for the server's one error answer.
 */
export async function handleGraphQL(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  address: string,
  options: GraphQLHandlerOptions,
): Promise<void> {
  const { apollo, dataSource } = options;
  if (req.method === "OPTIONS") {
    res.writeHead(204, CORS_HEADERS);
    res.end();
    return;
  }
  const body = await checkedBody(req, url, address, options);
  const viewer = await authenticate(dataSource, req.headers.authorization);
  // Reads go to the replica (failing over to the primary), or to the primary when the client asks (read-your-writes).
  const primary = readsFromPrimary(req);
  // The dataset revision the reads see, before the query runs (src/http/cache.ts).
  const revision = await readRevision(dataSource, { fromPrimary: primary, wanted: req.method === "GET" && req.headers.authorization === undefined });
  const db = new RequestDb(readSource(dataSource, { primary }), options.requestDbLimits);
  const context = createContext(dataSource, viewer, address, options.requestDbLimits, db);
  context.revision = revision;
  // The shared answer cache (src/http/response-cache.ts): an answer stored for the revision the reads see now.
  if (options.answers && revision.before !== null && cacheableGet(req, url)) {
    if (await answerFromCache(req, res, planAt(req, url, revision.before), context, options)) return;
  }
  const response = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: (req.method ?? "GET").toUpperCase(), headers: headerMapOf(req), search: url.search, body },
    context: async () => context,
  });
  await sendResponse(req, res, url, { response, context, revision, address }, options);
}

/** The request's body once the address is within its failure budget (429 otherwise) and the body and query string hold no bad character (400). */
async function checkedBody(req: http.IncomingMessage, url: URL, address: string, options: GraphQLHandlerOptions): Promise<unknown> {
  const waitSeconds = await options.throttle.blockedFor(address);
  if (waitSeconds > 0) {
    const message = `Too many failed requests (unknown API keys or invalid documents) from this address; retry in ${waitSeconds} s`;
    throw new EdgeError(429, "RATE_LIMITED", message, { "retry-after": String(waitSeconds) });
  }
  const body = await readGraphQLBody(req, options.maxBodyBytes);
  const badCharacter = badCharacterInRequest(body, url.searchParams);
  if (badCharacter) throw new EdgeError(400, "BAD_USER_INPUT", badCharacter);
  return body;
}

/** The request's headers as Apollo takes them (repeated headers joined). */
function headerMapOf(req: http.IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
  }
  return headers;
}

/** What Apollo answered a request with, and what the request ran under. */
interface Executed {
  response: HTTPGraphQLResponse;
  context: Context;
  revision: Awaited<ReturnType<typeof readRevision>>;
  address: string;
}

/**
 * Copies Apollo's answer out with the CORS and statement-count headers; GET caching (src/http/cache.ts):
 * stored only when the revision did not change under the query, then ETag and Cache-Control, or a 304
 * when the client holds the answer; a clean 200 goes to the shared answer cache.
 */
async function sendResponse(req: http.IncomingMessage, res: http.ServerResponse, url: URL, executed: Executed, options: GraphQLHandlerOptions): Promise<void> {
  const { response } = executed;
  setAnswerHeaders(req, res, executed, options);
  const cachePlan = await planGetCache(req, url, executed.revision);
  if (cachePlan.cacheable) res.setHeader("x-dataset-revision", cachePlan.revision);
  const complete = response.body.kind === "complete" ? response.body.string : null;
  if (applyGetCache(cachePlan, req, res, response.status ?? 200, complete)) return;
  res.statusCode = response.status ?? 200;
  if (options.answers && cachePlan.cacheable && res.statusCode === 200 && complete !== null)
    await storeAnswer(res, cachePlan, complete, executed, options.answers.cache);
  if (response.body.kind === "complete") {
    // Documents refused before execution count against the address, over-limit ones too
    // (QUERY_TOO_COMPLEX): repeating a refusal costs the sender its budget of failures.
    if (res.statusCode === 400 && /"code":"(GRAPHQL_PARSE_FAILED|GRAPHQL_VALIDATION_FAILED|BAD_REQUEST|QUERY_TOO_COMPLEX)"/.test(response.body.string))
      await options.throttle.fail(executed.address);
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/** Apollo's headers, CORS, and the number of SQL statements the request ran (the API key's lookup included) when the service exposes it. */
function setAnswerHeaders(req: http.IncomingMessage, res: http.ServerResponse, { response, context }: Executed, options: GraphQLHandlerOptions): void {
  for (const [key, value] of response.headers) res.setHeader(key, value);
  for (const [key, value] of Object.entries(CORS_HEADERS)) res.setHeader(key, value);
  if (options.exposeSqlStatementCount) res.setHeader("x-sql-statements", String(context.statementCount() + (req.headers.authorization ? 1 : 0)));
}

/** Stores a 200 answer without errors in the shared answer cache, with its points and headers (`X-Cache: MISS`). */
async function storeAnswer(res: http.ServerResponse, plan: GetCachePlan, body: string, executed: Executed, cache: AnswerCache): Promise<void> {
  if (/"errors"\s*:\s*\[/.test(body)) return;
  res.setHeader("x-cache", "MISS");
  await cache.set(plan, { body, points: pointsFor(executed.context.queryCost ?? 0), headers: [...executed.response.headers] });
}

/**
 * Answers a cacheable GET from the shared answer cache when it holds this request's answer and the
 * client's budget still covers the query's points (charged as an execution would be). Returns
 * false when the request must execute: nothing stored, Redis unavailable, or the budget spent
 * (execution then refuses it with the usual 429).
 */
async function answerFromCache(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  plan: GetCachePlan,
  context: Context,
  options: GraphQLHandlerOptions,
): Promise<boolean> {
  const answer = await options.answers!.cache.get(plan);
  if (!answer) return false;
  let state;
  try {
    state = await options.answers!.limiter.charge(context.client, false, answer.points);
  } catch {
    return false;
  }
  for (const [key, value] of answer.headers) res.setHeader(key, value);
  for (const [key, value] of Object.entries(CORS_HEADERS)) res.setHeader(key, value);
  res.setHeader("x-ratelimit-limit", String(state.limit));
  res.setHeader("x-ratelimit-remaining", String(state.remaining));
  res.setHeader("x-ratelimit-reset", String(Math.floor(state.resetAt.getTime() / 1000)));
  res.setHeader("x-cache", "HIT");
  if (plan.cacheable) res.setHeader("x-dataset-revision", plan.revision);
  if (options.exposeSqlStatementCount) res.setHeader("x-sql-statements", "0");
  if (applyGetCache(plan, req, res, 200, answer.body)) return true;
  res.statusCode = 200;
  res.end(answer.body);
  return true;
}
