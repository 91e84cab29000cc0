"""Tests against a live service named by MISUSE_GRAPH_URL (test/integration/python-client.test.ts
starts one). Expected values come from the service's GraphQL API, not from the client."""

import os
import sys
import unittest
from datetime import datetime, timezone

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from misuse_graph import HAVE_PANDAS, BadParameter, Client, GraphQLError, RateLimited  # noqa: E402

URL = os.environ.get("MISUSE_GRAPH_URL")
LIMITED_URL = os.environ.get("MISUSE_GRAPH_LIMITED_URL")


@unittest.skipUnless(URL, "MISUSE_GRAPH_URL is not set")
class ClientTest(unittest.TestCase):
    def setUp(self):
        self.client = Client(URL)

    def test_operations_have_as_many_rows_as_totalCount(self):
        total = self.client.query('{ operations(filter: {originCountry: ["CN"]}) { totalCount } }')["operations"]["totalCount"]
        self.assertGreater(total, 0)
        ops = self.client.operations(filter={"originCountry": ["CN"]})
        self.assertEqual(len(ops), total)
        rows = Client(URL, pandas=False).operations(filter={"originCountry": ["CN"]})
        self.assertIsInstance(rows, list)
        self.assertEqual(len(rows), total)
        self.assertTrue(all("CN" in row["origin_country_codes"] for row in rows))
        keys = sorted(node["key"] for node in self.client.paginate("operations", "key", filter={"originCountry": ["CN"]}))
        self.assertEqual(sorted(row["key"] for row in rows), keys)

    @unittest.skipUnless(HAVE_PANDAS, "pandas is not installed")
    def test_operations_dataframe_with_fields_and_dataset_version(self):
        df = self.client.operations(filter={"originCountry": ["CN"]}, fields=["name", "origin_country_codes", "origin_country_names"])
        self.assertEqual(list(df.columns), ["key", "name", "origin_country_codes", "origin_country_names"])
        content_hash = self.client.query("{ dataset { contentHash } }")["dataset"]["contentHash"]
        self.assertEqual(df.attrs["meta"]["dataset"]["contentHash"], content_hash)

    def test_long_layout_has_one_row_per_origin(self):
        nodes = list(self.client.paginate("operations", "key origins { country { code } }", filter={"category": ["INFLUENCE_OPERATION"]}))
        expected = sum(max(1, len(n["origins"])) for n in nodes)
        rows = Client(URL, pandas=False).operations(filter={"category": ["INFLUENCE_OPERATION"]}, fields="origin_country_codes,origin_country_names", layout="long")
        self.assertEqual(len(rows), expected)
        self.assertTrue(all(isinstance(r["origin_country_codes"], (str, type(None))) for r in rows))

    def test_long_layout_explodes_exactly_one_named_list(self):
        for fields in (None, "name", "categories,platform_keys"):
            with self.assertRaises(BadParameter) as bad:
                Client(URL, pandas=False).operations(fields=fields, layout="long")
            self.assertEqual(bad.exception.parameter, "fields")
            self.assertIn("platform_keys, platform_names", str(bad.exception))
        nodes = list(self.client.paginate("operations", "key sources { url kind }"))
        rows = Client(URL, pandas=False).operations(fields="sources,source_kinds", layout="long")
        self.assertEqual(
            sorted((r["key"], r["sources"], r["source_kinds"]) for r in rows),
            sorted((n["key"], s["url"], s["kind"]) for n in nodes for s in n["sources"]),
        )

    def test_stats_by_category_sums_to_operationStats(self):
        data = self.client.query("{ operationStats { by(dimension: CATEGORY, limit: 500) { buckets { kind key count } } } }")
        expected = {(b["kind"], b["key"]): b["count"] for b in data["operationStats"]["by"]["buckets"]}
        rows = Client(URL, pandas=False).stats.by("CATEGORY")
        self.assertEqual({(r["kind"], r["key"]): r["count"] for r in rows}, expected)
        self.assertEqual(sum(r["count"] for r in rows), sum(expected.values()))
        if HAVE_PANDAS:
            df = self.client.stats.by("CATEGORY")
            self.assertEqual(int(df["count"].sum()), sum(expected.values()))
            self.assertEqual(set(df.columns), {"dimension", "kind", "key", "label", "count", "share"})

    def test_stats_keep_none_and_other_apart(self):
        rows = Client(URL, pandas=False).stats.by("ORIGIN_COUNTRY", limit=3)
        kinds = [r["kind"] for r in rows]
        self.assertEqual(kinds[:3], ["VALUE"] * 3)
        self.assertIn("OTHER", kinds)
        self.assertIn("NONE", kinds)
        names = {n["code"]: n["name"] for n in self.client.paginate("countries", "code name")}
        for row in rows[:3]:
            self.assertEqual(row["label"], names[row["key"]])

    def test_cross_tab_and_over_time_match_operationStats(self):
        data = self.client.query(
            "{ operationStats(filter: {originCountry: [\"CN\"]}) { crossTab(rows: CATEGORY, columns: PUBLISHER) { cells { row column count } }"
            " overTime(interval: QUARTER, splitBy: PUBLISHER) { buckets { start splits { key count } } } } }"
        )["operationStats"]
        cells = Client(URL, pandas=False).stats.cross_tab("CATEGORY", "PUBLISHER", filter={"originCountry": ["CN"]})
        self.assertEqual(sorted((c["row_key"], c["column_key"], c["count"]) for c in cells), sorted((c["row"], c["column"], c["count"]) for c in data["crossTab"]["cells"]))
        series = Client(URL, pandas=False).stats.over_time("QUARTER", split_by="PUBLISHER", filter={"originCountry": ["CN"]})
        expected = [(b["start"], s["key"], s["count"]) for b in data["overTime"]["buckets"] for s in b["splits"]]
        self.assertEqual([(r["start"], r["split_key"], r["count"]) for r in series], expected)

    def test_errors_are_typed(self):
        with self.assertRaises(BadParameter) as bad:
            self.client.operations(filter={"originCountry": ["XX"]})
        self.assertEqual(bad.exception.parameter, "filter.originCountry")
        with self.assertRaises(BadParameter) as bad_dimension:
            self.client.stats.by("NOT_A_DIMENSION")
        self.assertEqual(bad_dimension.exception.parameter, "dimension")
        with self.assertRaises(GraphQLError) as gql:
            self.client.query('{ operations(filter: {originCountry: ["XX"]}) { totalCount } }')
        self.assertEqual(gql.exception.code, "BAD_USER_INPUT")
        with self.assertRaises(GraphQLError) as invalid:
            self.client.query("{ noSuchField }")
        self.assertEqual(invalid.exception.code, "GRAPHQL_VALIDATION_FAILED")


@unittest.skipUnless(LIMITED_URL, "MISUSE_GRAPH_LIMITED_URL is not set")
class RateLimitTest(unittest.TestCase):
    def test_rate_limited_says_when_the_budget_resets(self):
        client = Client(LIMITED_URL)
        with self.assertRaises(RateLimited) as limited:
            for _ in range(50):
                client.query("{ countries(first: 1) { totalCount } }")
        self.assertIsNotNone(limited.exception.reset_at)
        self.assertGreater(limited.exception.reset_at, datetime.now(timezone.utc))
        self.assertGreaterEqual(limited.exception.retry_after, 1)


if __name__ == "__main__":
    unittest.main()
