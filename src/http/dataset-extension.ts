import type { ApolloServerPlugin } from "@apollo/server";
import type { DatasetState, DatasetVersionTracker } from "../modules/dataset";
import { readSource } from "../db/request-db";
import { queryVia } from "../db/read-routing";
import type { Context } from "../context";
import { revisionWatch } from "../db/revision";

/** How long a response may wait for the content hash of a database changed since the last request. */
const HASH_WAIT_MS = 3000;

/**
 * Every GraphQL response says which data it was computed from: `extensions.dataset = { version,
 * contentHash }` (and the `X-Dataset-Version` header), so a number quoted from an answer can be
 * traced to a release, or to a database changed since (`+modified`). When the database cannot be
 * reached, or hashing a large changed database takes longer than HASH_WAIT_MS, the extension is
 * left out rather than guessed.
 *
 * With a read replica, the version is the one of the revision the request's reads saw there, read
 * before and after the query (http/cache.ts `readRevision`), worked out on the replica when it lags
 * the primary (once per revision); when a write was replayed under the query it is left out. A
 * mutation reads from the primary throughout.
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
          if (operation?.operation === "mutation") {
            const revision = await revisionWatch(contextValue.dataSource)
              .revision()
              .catch(() => null);
            if (revision) {
              const result = response.body.singleResult;
              result.extensions = { ...result.extensions, dataset: { ...(result.extensions?.dataset as object), revision } };
              response.http.headers.set("x-dataset-revision", revision);
            }
          }
          let state: DatasetState | null;
          try {
            if (contextValue.revision?.onReplica && operation?.operation !== "mutation") {
              // Read from a replica: the state of the revision the reads saw there, when it held still.
              const revision = await contextValue.revision.settle();
              if (revision === null) return;
              state = await tracker.stateAt(revision, (sql, values) => queryVia(readSource(contextValue.dataSource), sql, values), HASH_WAIT_MS);
            } else {
              state = tracker.known() ?? (await tracker.current({ waitMs: HASH_WAIT_MS }));
            }
          } catch {
            return;
          }
          if (!state) return;
          const result = response.body.singleResult;
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
