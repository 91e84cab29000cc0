import { categoryBars, operationsFrom } from "./main";

/**
 * Runs the example against a misuse-graph service: every operation attributed to Russia or China
 * (all pages), then the bars of a chart of operations by category. The endpoint is the first
 * argument, or MISUSE_GRAPH_URL, or a service on this machine's default port.
 */
async function run(): Promise<void> {
  const endpoint = process.argv[2] ?? process.env.MISUSE_GRAPH_URL ?? "http://127.0.0.1:4000/graphql";
  const origins = ["RU", "CN"];
  const operations = await operationsFrom(endpoint, origins);
  console.log(`${operations.length} operations attributed to ${origins.join(" or ")} (${endpoint}), newest first:`);
  for (const operation of operations.slice(0, 5)) {
    const from = operation.origins.map((origin) => `${origin.country.code} (${origin.confidence})`).join(", ");
    console.log(`  ${operation.firstDisclosedOn ?? "undated"}  ${operation.name}  from ${from}`);
  }
  if (operations.length > 5) console.log(`  ... and ${operations.length - 5} more`);
  console.log("operations by category:");
  for (const bar of await categoryBars(endpoint)) console.log(`  ${bar.label.padEnd(40)} ${bar.value}`);
}

run().catch((error: Error) => {
  console.error(`the example failed: ${error.message}`);
  process.exit(1);
});
