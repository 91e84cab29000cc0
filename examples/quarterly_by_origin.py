"""Operations first disclosed per quarter, split by country of origin, as a CSV table
(quarters down, countries across), ready for a chart. Standard library only:

    python3 examples/quarterly_by_origin.py > quarterly.csv
"""
import csv
import json
import sys
import urllib.request

URL = sys.argv[1] if len(sys.argv) > 1 else "http://localhost:4000/graphql"
QUERY = """
{ operationStats { overTime(interval: QUARTER, dateAxis: FIRST_DISCLOSED, splitBy: ORIGIN_COUNTRY) {
    buckets { start count splits { key label count } } } } }
"""

request = urllib.request.Request(URL, data=json.dumps({"query": QUERY}).encode(), headers={"content-type": "application/json"})
with urllib.request.urlopen(request) as response:
    body = json.load(response)
if body.get("errors"):
    raise SystemExit(f"GraphQL errors: {body['errors']}")
buckets = body["data"]["operationStats"]["overTime"]["buckets"]
labels = [s["label"] for s in buckets[0]["splits"]] if buckets else []
writer = csv.writer(sys.stdout)
writer.writerow(["quarter_start", "all_operations", *labels])
for b in buckets:
    writer.writerow([b["start"], b["count"], *[s["count"] for s in b["splits"]]])
