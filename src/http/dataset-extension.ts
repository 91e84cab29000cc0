import type { ApolloServerPlugin } from "@apollo/server";
import type { DatasetVersionTracker } from "../modules/dataset";

/** How long a response may wait for the maintained content hash (one row) after the dataset changed. */
const HASH_WAIT_MS = 3000;

/**
 * Every GraphQL response says which data it was computed from: `extensions.dataset = { version,
 * contentHash }` (and the `X-Dataset-Version` header), so a number quoted from an answer can be
 * traced to a release, or to a database changed since (`+modified`). The hash is kept current by
 * every write, so reading it costs one row at any size; when the database cannot be reached, or
 * does not answer within HASH_WAIT_MS, the extension is left out rather than guessed.
 */
export function datasetExtensionPlugin(tracker: DatasetVersionTracker): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== "single") return;
          let state = tracker.known();
          try {
            state ??= await tracker.current({ waitMs: HASH_WAIT_MS });
          } catch {
            return;
          }
          if (!state) return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, dataset: { version: state.version, contentHash: state.contentHash } };
          if (state.version) response.http.headers.set("x-dataset-version", state.version);
        },
      };
    },
  };
}
