import type http from "node:http";
import { pipeline } from "node:stream";
import type { Transform } from "node:stream";
import QueryStream from "pg-query-stream";
import type { Lease } from "../db/request-db";

/**
 * Streams the rows of one SELECT through `stages` into the response with a server-side cursor on
 * the leased client (taken before the response starts, so a busy pool is an error status, not a
 * truncated file):
 * PostgreSQL hands over `batchSize` rows at a time and the next batch is fetched only when the
 * response has drained, so memory stays flat however many rows there are. The client commits its
 * read-only transaction and goes back to the pool when the response ends; when the caller
 * disconnects or a fetch fails, the cursor is destroyed and the connection discarded rather than
 * reused mid-portal. A response cut off at the export's time limit ends the same way.
 */
export async function streamQuery(
  lease: Lease,
  sql: string,
  values: unknown[],
  stages: Transform[],
  res: http.ServerResponse,
  log: (message: string) => void,
  batchSize = 200,
): Promise<void> {
  const { client } = lease;
  const rows = client.query(new QueryStream(sql, values, { batchSize, highWaterMark: batchSize }));
  await new Promise<void>((resolve) => {
    pipeline([rows, ...stages, res] as unknown as [NodeJS.ReadableStream, NodeJS.WritableStream], (error) => {
      if (error) {
        // A client that went away is normal; anything else is logged. Either way the connection
        // may sit inside an open portal, so it is closed instead of returned.
        if ((error as NodeJS.ErrnoException).code !== "ERR_STREAM_PREMATURE_CLOSE") log(`export failed mid-stream: ${error.message}`);
        lease.release(true);
        if (!res.destroyed) res.destroy();
        resolve();
      } else {
        // The export's read-only transaction ends here; a failed COMMIT discards the connection.
        client
          .query("COMMIT")
          .then(
            () => lease.release(),
            () => lease.release(true),
          )
          .finally(resolve);
      }
    });
  });
}
