import type http from "node:http";
import { EdgeError } from "./edge-error";

/**
 * How much of an oversized body of declared length is read and discarded before the 413 is sent:
 * the client is then done writing when the answer comes. Closing a connection with unread data
 * makes TCP send a reset, and a client still writing its body can lose the 413 to it.
 */
const DISCARD_DECLARED_BYTES = 64 * 1024 * 1024;

/**
 * Reads a body of at most `limit` bytes. A longer one is read on and discarded to its end, so the
 * 413 reaches a client that writes its whole request before reading: up to DISCARD_DECLARED_BYTES
 * (or twice the limit, if more) when its length is declared, up to twice the limit when it is
 * chunked (its end is not known). Past that bound the 413 is sent at once and the connection closed.
 */
function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  const tooLarge = (drained: boolean) =>
    new EdgeError(413, "BAD_REQUEST", `The request body is larger than ${limit} bytes`, drained ? {} : { connection: "close" });
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    const hasLength = req.headers["content-length"] !== undefined && Number.isFinite(declared);
    const bound = hasLength ? Math.max(2 * limit, DISCARD_DECLARED_BYTES) : 2 * limit;
    const chunks: Buffer[] = [];
    let size = 0;
    let over = hasLength && declared > limit;
    if (over && declared > bound) {
      reject(tooLarge(false));
      req.resume();
      return;
    }
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
      }
      if (size > bound) reject(tooLarge(false));
      if (!over) chunks.push(chunk);
    });
    req.on("end", () => (over ? reject(tooLarge(true)) : resolve(Buffer.concat(chunks).toString("utf8"))));
    req.on("error", reject);
  });
}

/** Media types a POST body is read as JSON under (GraphQL over HTTP); parameters such as charset may follow. */
const JSON_MEDIA_TYPES = new Set(["application/json", "application/graphql-response+json"]);

/**
 * The body of a GraphQL request: undefined for GET, parsed JSON for a JSON media type. Any other
 * media type (or none) is a 415 naming the content type, read first so the answer is not lost to
 * unread data. Invalid JSON is a 400 that counts as a failure.
 */
export async function readGraphQLBody(req: http.IncomingMessage, limit: number): Promise<unknown> {
  if (req.method !== "POST") return undefined;
  const text = await readBody(req, limit);
  const contentType = req.headers["content-type"] ?? "";
  const mediaType = contentType.split(";")[0].trim().toLowerCase();
  if (!JSON_MEDIA_TYPES.has(mediaType)) {
    const got = contentType === "" ? "no content-type" : `content-type "${contentType.slice(0, 100)}"`;
    throw new EdgeError(415, "BAD_REQUEST", `A POST body must be sent as content-type application/json (got ${got})`);
  }
  try {
    return text === "" ? undefined : JSON.parse(text);
  } catch (error) {
    throw new EdgeError(400, "BAD_REQUEST", `The request body is not valid JSON: ${(error as Error).message}`, {}, true);
  }
}
