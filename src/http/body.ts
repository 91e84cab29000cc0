import type http from "node:http";
import { EdgeError } from "./edge-error";

/**
 * Reads a body of at most `limit` bytes. A longer one (declared, or chunked and found out while
 * reading) is read on and discarded up to `limit` more bytes, so the client is still reading when
 * the 413 comes (closing on unread data makes TCP send a reset that can swallow the answer); past
 * that bound the 413 is sent at once and the connection closed.
 */
function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  const tooLarge = (drained: boolean) =>
    new EdgeError(413, "BAD_REQUEST", `The request body is larger than ${limit} bytes`, drained ? {} : { connection: "close" });
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    const chunks: Buffer[] = [];
    let size = 0;
    let over = Number.isFinite(declared) && declared > limit;
    if (over && declared > 2 * limit) {
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
      if (size > 2 * limit) reject(tooLarge(false));
      if (!over) chunks.push(chunk);
    });
    req.on("end", () => (over ? reject(tooLarge(true)) : resolve(Buffer.concat(chunks).toString("utf8"))));
    req.on("error", reject);
  });
}

/**
 * The body of a GraphQL request: undefined for GET, parsed JSON for a JSON content type, the text
 * otherwise (Apollo answers a wrong content type). Invalid JSON is a 400 that counts as a failure.
 */
export async function readGraphQLBody(req: http.IncomingMessage, limit: number): Promise<unknown> {
  if (req.method !== "POST") return undefined;
  const text = await readBody(req, limit);
  if (!/^application\/(graphql-response\+)?json/i.test(req.headers["content-type"] ?? "")) return text;
  try {
    return text === "" ? undefined : JSON.parse(text);
  } catch (error) {
    throw new EdgeError(400, "BAD_REQUEST", `The request body is not valid JSON: ${(error as Error).message}`, {}, true);
  }
}
