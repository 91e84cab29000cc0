import type { ApolloServerPlugin } from "@apollo/server";
import type { DatasetVersionTracker } from "../modules/dataset";
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
 * A mutation's response also names the revision the primary holds once it is done, writes included
 * (`extensions.dataset.revision` and `X-Dataset-Revision`): a client that wants to read its write
 * compares it with the `X-Dataset-Revision` of a later GET, or reads with `X-Read-From: primary`.
 */
export function datasetExtensionPlugin(tracker: DatasetVersionTracker): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
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
          let state = tracker.known();
          try {
            state ??= await tracker.current({ waitMs: HASH_WAIT_MS });
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
