import type { ApolloServerPlugin } from "@apollo/server";
import type { DatasetState, DatasetVersionTracker } from "../modules/dataset";
import { readSource } from "../db/request-db";
import { queryVia } from "../db/read-routing";
import type { Context } from "../context";
import { revisionWatch } from "../db/revision";

/** How long a response may wait for the maintained content hash (one row) after the dataset changed. */
const HASH_WAIT_MS = 3000;

/**
 * Every GraphQL response says which data it was computed from: `extensions.dataset = { version,
 * contentHash }` (and the `X-Dataset-Version` header), so a number quoted from an answer can be
 * traced to a release, or to a database changed since (`+modified`). The hash is kept current by
 * every write (docs/content-hash.md), so reading it costs one row at any size, once per revision;
 * when the database cannot be reached, or does not answer within HASH_WAIT_MS, the extension is
 * left out rather than guessed.
 *
 * When the request read its revision before the query (an anonymous GET, or any read from a read
 * replica), the version is the one of that revision, read on the database the reads went to before
 * and after the query (db/revision.ts `readRevision`): on a replica that lags the primary, its own
 * replicated content hash row; when a write landed (or was replayed) under the query it is left
 * out, so an answer (and the shared answer cache's copy of it) never names another revision's data.
 * A mutation reads from the primary throughout.
 *
 * A mutation's response also names the revision the primary holds once it is done, writes included
 * (`extensions.dataset.revision` and `X-Dataset-Revision`): a client that wants to read its write
 * compares it with the `X-Dataset-Revision` of a later GET, or reads with `X-Read-From: primary`.
 */
export function datasetExtensionPlugin(tracker: DatasetVersionTracker): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        // A mutation reads back what it wrote from the primary, where it wrote it.
        async didResolveOperation({ operation, contextValue }) {
          if (operation?.operation === "mutation" && contextValue.revision?.onReplica) contextValue.readFromPrimary();
        },
        async willSendResponse({ response, operation, contextValue }) {
          if (response.body.kind !== "single") return;
          const result = response.body.singleResult;
          const mutation = operation?.operation === "mutation";
          if (mutation) {
            const revision = await revisionWatch(contextValue.dataSource)
              .revision()
              .catch(() => null);
            if (revision) {
              result.extensions = { ...result.extensions, dataset: { ...(result.extensions?.dataset as object), revision } };
              response.http.headers.set("x-dataset-revision", revision);
            }
          }
          const state = await stateOfAnswer(tracker, contextValue, mutation);
          if (!state) return;
          result.extensions = {
            ...result.extensions,
            dataset: { ...(result.extensions?.dataset as object), version: state.version, contentHash: state.contentHash },
          };
          if (state.version) response.http.headers.set("x-dataset-version", state.version);
        },
      };
    },
  };
}

/**
 * The dataset state an answer was computed from: of exactly the revision the reads saw when the
 * request read it before the query (null when a write landed under it), else the tracker's
 * current state; null when it cannot be read in time.
 */
async function stateOfAnswer(tracker: DatasetVersionTracker, context: Context, mutation: boolean): Promise<DatasetState | null> {
  try {
    const read = context.revision;
    if (!read || read.before === null || mutation) return tracker.known() ?? (await tracker.current({ waitMs: HASH_WAIT_MS }));
    // The state of exactly the revision the reads saw, when it held still, read where they went.
    const revision = await read.settle();
    if (revision === null) return null;
    const there = read.onReplica ? (sql: string, values?: unknown[]) => queryVia(readSource(context.dataSource), sql, values) : undefined;
    return await tracker.stateAt(revision, there, HASH_WAIT_MS);
  } catch {
    return null;
  }
}
