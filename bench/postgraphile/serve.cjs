/**
 * PostGraphile v5 over a SYNTHETIC benchmark database, for `npm run bench:graph` only.
 *
 * Run by bench/graph.ts with the Node 22 binary from the bench's cache folder (.bench/postgraphile)
 * and NODE_PATH pointing at that folder's node_modules, so nothing here is a dependency of the
 * service. Environment: DATABASE_URL, PORT, HOST (loopback), POOL_SIZE (connections, as many as
 * misuse-graph gets), PG_SESSION_OPTIONS (misuse-graph's session settings). Prints "listening <url>" once ready.
 *
 * Configuration, chosen so that PostGraphile can express the same queries as misuse-graph:
 * - the Amber preset (v5 defaults: Relay connections, allOperations, operationByKey, ...);
 * - PgIndexBehaviorsPlugin disabled: v5 otherwise offers orderBy/condition only on indexed columns,
 *   and operation.name (our default order) and junction `position` columns have no index. This is
 *   the v4 default (ignoreIndexes) and makes no query faster; PostgreSQL sorts as it would for us;
 * - the connection-filter plugin with relation filters, for "attributed to CN and in category X"
 *   (an array `contains` on operation.categories and `some` over operation_origin);
 * - smart tags giving the operation_facts materialized view a primary key and a foreign key to
 *   operation, so that until operation has a first-disclosure column PostGraphile can order by
 *   operation_facts.first_disclosed (its `operationById` relation yields the operation).
 */
"use strict";
const http = require("node:http");
const { postgraphile } = require("postgraphile");
const { PostGraphileAmberPreset } = require("postgraphile/presets/amber");
const { makePgService } = require("postgraphile/adaptors/pg");
const { grafserv } = require("postgraphile/grafserv/node");
const { jsonPgSmartTags } = require("postgraphile/utils");
const { PostGraphileConnectionFilterPreset } = require("postgraphile-plugin-connection-filter");

const port = Number(process.env.PORT);
const host = process.env.HOST || "127.0.0.1";

const smartTags = jsonPgSmartTags({
  version: 1,
  config: {
    class: {
      "public.operation_facts": { tags: { primaryKey: "id", foreignKey: "(id) references public.operation (id)" } },
    },
  },
});

const preset = {
  extends: [PostGraphileAmberPreset, PostGraphileConnectionFilterPreset],
  plugins: [smartTags],
  disablePlugins: ["PgIndexBehaviorsPlugin"],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ["public"],
      poolConfig: { max: Number(process.env.POOL_SIZE) || 10, options: process.env.PG_SESSION_OPTIONS },
    }),
  ],
  schema: { connectionFilterRelations: true, connectionFilterArrays: true },
  grafserv: { port, host, graphqlPath: "/graphql", graphiql: false, watch: false },
  grafast: { explain: false },
};

async function main() {
  const pgl = postgraphile(preset);
  const serv = pgl.createServ(grafserv);
  const server = http.createServer();
  await serv.addTo(server);
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  console.log(`listening http://${host}:${address.port}/graphql`);
  const stop = async () => {
    server.close();
    await pgl.release();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error) => {
  console.error(`PostGraphile failed to start: ${error.stack || error.message}`);
  process.exit(1);
});
