#!/usr/bin/env bash
# Starts the service as a new user would (no DATABASE_URL), asks the README's first query, then
# sends SIGTERM and checks the service exits 0 and leaves no PostgreSQL behind.
set -euo pipefail
scratch=${1:?scratch folder}
port=4999
pg_dir="$scratch/boot-pg"
log="$scratch/boot.log"

env -u DATABASE_URL PORT=$port EMBEDDED_PG_DIR="$pg_dir" npm start >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do
  if curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then break; fi
  if ! kill -0 $pid 2>/dev/null; then cat "$log"; echo "the service exited before it was ready"; exit 1; fi
  sleep 1
done
query='{ operations(first: 5) { totalCount edges { node { name reports(first: 5) { edges { node { title publisher { name } } } } origins { country { name } confidence } } } } }'
answer=$(curl -sf "http://127.0.0.1:$port/graphql" -H 'content-type: application/json' \
  -d "$(node -e 'console.log(JSON.stringify({ query: process.argv[1] }))' "$query")")
echo "$answer" | head -c 600; echo
node -e '
  const body = JSON.parse(process.argv[1]);
  const ops = body.data.operations;
  if (body.errors || ops.totalCount < 1 || ops.edges.length !== 5) throw new Error("unexpected answer");
  if (!ops.edges.every((e) => e.node.reports.edges.length > 0 && e.node.reports.edges[0].node.publisher.name)) throw new Error("missing reports");
' "$answer"

# The dataset query must count exactly what the files in data/ hold.
counts=$(curl -sf "http://127.0.0.1:$port/graphql" -H 'content-type: application/json' \
  -d '{"query":"{ dataset { counts { reports operations statements companies countries } } }"}')
echo "$counts"
node -e '
  const fs = require("fs");
  const want = { reports: 0, operations: 0, statements: 0, companies: 0 };
  for (const f of fs.readdirSync("data").filter((f) => f.endsWith(".json"))) {
    const doc = JSON.parse(fs.readFileSync("data/" + f, "utf8"));
    for (const k of Object.keys(want)) want[k] += (doc[k] || []).length;
  }
  const got = JSON.parse(process.argv[1]).data.dataset.counts;
  for (const k of Object.keys(want)) if (got[k] !== want[k]) throw new Error(`dataset.counts.${k} is ${got[k]}, the files hold ${want[k]}`);
  if (got.countries < 249) throw new Error(`only ${got.countries} countries`);
  console.log("dataset counts match data/:", JSON.stringify(want));
' "$counts"

# Signal npm, as a supervisor would; npm passes SIGTERM on to the service (`exec node ...`).
kill -TERM $pid
status=0
wait $pid || status=$?
cat "$log"
if [ "$status" -ne 0 ]; then echo "npm start exited with $status after SIGTERM"; exit 1; fi
sleep 1
if pgrep -f "postgres -D $pg_dir" >/dev/null; then echo "embedded PostgreSQL is still running"; exit 1; fi

# A second start reuses the cluster and the data: no initdb, no dataset load.
env -u DATABASE_URL PORT=$port EMBEDDED_PG_DIR="$pg_dir" node dist/src/main.js >"$log.2" 2>&1 &
pid=$!
for _ in $(seq 1 60); do
  if curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then break; fi
  sleep 1
done
again=$(curl -sf "http://127.0.0.1:$port/graphql" -H 'content-type: application/json' -d '{"query":"{ dataset { counts { operations } } }"}')
kill -TERM $pid
wait $pid
cat "$log.2"
if grep -qE "initialising a new cluster|loaded the dataset" "$log.2"; then echo "the second start did not reuse the data"; exit 1; fi
[ "$(echo "$again" | node -e 'process.stdout.write(String(JSON.parse(require("fs").readFileSync(0, "utf8")).data.dataset.counts.operations))')" -gt 0 ]
echo "boot: ok (answered, stopped with status 0, no PostgreSQL left; a second start reused the data)"
