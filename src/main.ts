import "reflect-metadata";
import { loadConfig, redactCredentials } from "./config";
import { createApp } from "./app";

/** Starts the service; SIGINT or SIGTERM drain requests, close the pool and stop any embedded database. */
async function main(): Promise<void> {
  const config = loadConfig();
  // Every line goes through the redaction: drivers put connection strings in their errors.
  const log = config.logLevel === "silent" ? () => undefined : (message: string) => console.log(`[misuse-graph] ${redactCredentials(message)}`);
  const app = await createApp(config, log);
  const url = await app.listen();
  log(`serving ${url} (${process.uptime().toFixed(1)} s after the process started; health: /healthz, readiness: /readyz)`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: draining requests and shutting down`);
    try {
      await app.close();
      log("stopped");
      process.exit(0);
    } catch (error) {
      console.error(`[misuse-graph] shutdown failed: ${redactCredentials((error as Error).message)}`);
      process.exit(1);
    }
  };
  // A stray rejection is a bug to log, not a reason to drop every other request in flight.
  process.on("unhandledRejection", (reason) => log(`unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`));
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: Error) => {
  console.error(`[misuse-graph] failed to start: ${redactCredentials(error.message)}`);
  process.exit(1);
});
