"""Pages through every operation matching a filter and writes one CSV row per operation.

Standard library only, so it runs in any notebook or shell:

    python3 examples/operations_to_csv.py > operations.csv
    python3 examples/operations_to_csv.py --origin CN --category INFLUENCE_OPERATION > cn-io.csv

With pandas: pd.read_csv("operations.csv").
"""
import argparse
import csv
import json
import sys
import urllib.request

QUERY = """
query ($first: Int, $after: String, $filter: OperationFilter) {
  operations(first: $first, after: $after, filter: $filter, orderBy: { field: FIRST_DISCLOSED, direction: ASC }) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      key name actorType categories breakoutScale accountsBanned firstDisclosedOn
      origins { country { code } confidence }
      targets { code }
      aiTools { key }
      reports(first: 20) { nodes { key publisher { key } } }
      sources { url kind }
    }
  }
}
"""


def graphql(url, query, variables):
    request = urllib.request.Request(url, data=json.dumps({"query": query, "variables": variables}).encode(), headers={"content-type": "application/json"})
    with urllib.request.urlopen(request) as response:
        body = json.load(response)
    if body.get("errors"):
        raise SystemExit(f"GraphQL errors: {body['errors']}")
    return body["data"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://localhost:4000/graphql")
    parser.add_argument("--origin", action="append", help="ISO code of an origin country (repeatable)")
    parser.add_argument("--category", action="append", help="operation category (repeatable)")
    args = parser.parse_args()
    filter_ = {}
    if args.origin:
        filter_["originCountry"] = args.origin
    if args.category:
        filter_["category"] = args.category

    writer = csv.writer(sys.stdout)
    writer.writerow(["key", "name", "actor_type", "categories", "breakout_scale", "accounts_banned", "first_disclosed", "origins", "targets", "ai_tools", "reports", "publishers", "sources"])
    after, rows = None, 0
    while True:
        page = graphql(args.url, QUERY, {"first": 100, "after": after, "filter": filter_})["operations"]
        for o in page["nodes"]:
            writer.writerow([
                o["key"], o["name"], o["actorType"], ";".join(o["categories"]), o["breakoutScale"], o["accountsBanned"], o["firstDisclosedOn"],
                ";".join(f"{x['country']['code']}:{x['confidence']}" for x in o["origins"]),
                ";".join(c["code"] for c in o["targets"]),
                ";".join(c["key"] for c in o["aiTools"]),
                ";".join(r["key"] for r in o["reports"]["nodes"]),
                ";".join(sorted({r["publisher"]["key"] for r in o["reports"]["nodes"]})),
                " ".join(s["url"] for s in o["sources"]),
            ])
            rows += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    print(f"{rows} of {page['totalCount']} operations", file=sys.stderr)


if __name__ == "__main__":
    main()
