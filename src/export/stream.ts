import type http from "node:http";
import { pipeline } from "node:stream";
import type { Transform } from "node:stream";
import type { Pool, PoolClient } from "pg";
import QueryStream from "pg-query-stream";
import type { DataSource } from "typeorm";

/** TypeORM's pg Pool, so an export can hold one client for the length of its cursor. */
export function poolOf(dataSource: DataSource): Pool {
  return (dataSource.driver as unknown as { master: Pool }).master;
}

/**
 * Streams the rows of one SELECT through `stages` into the response with a server-side cursor on
 * `client` (taken from the pool before the response starts, so a busy pool is an error status,
 * not a truncated file):
 * PostgreSQL hands over `batchSize` rows at a time and the next batch is fetched only when the
 * response has drained, so memory stays flat however many rows there are. The client commits its
 * read-only transaction and goes back to the pool when the response ends; when the caller
 * disconnects or a fetch fails, the cursor is destroyed and the connection discarded rather than
 * reused mid-portal.
 */
export async function streamQuery(
  client: PoolClient,
  sql: string,
  values: unknown[],
  stages: Transform[],
  res: http.ServerResponse,
  log: (message: string) => void,
  batchSize = 200,
): Promise<void> {
  const rows = client.query(new QueryStream(sql, values, { batchSize, highWaterMark: batchSize }));
  await new Promise<void>((resolve) => {
    pipeline([rows, ...stages, res] as unknown as [NodeJS.ReadableStream, NodeJS.WritableStream], (error) => {
      if (error) {
        // A client that went away is normal; anything else is logged. Either way the connection
        // may sit inside an open portal, so it is closed instead of returned.
        if ((error as NodeJS.ErrnoException).code !== "ERR_STREAM_PREMATURE_CLOSE") log(`export failed mid-stream: ${error.message}`);
        client.release(error);
        if (!res.destroyed) res.destroy();
        resolve();
      } else {
        // The export's read-only transaction ends here; a failed COMMIT discards the connection.
        client
          .query("COMMIT")
          .then(
            () => client.release(),
            (commitError: Error) => client.release(commitError),
          )
          .finally(resolve);
      }
    });
  });
}
