"""Client.sync against a live service named by MISUSE_GRAPH_URL, writing with the admin key in
MISUSE_GRAPH_ADMIN_KEY (test/integration/python-client.test.ts starts the service and makes the key).
Expected values come from the writes the test makes and from the service's GraphQL API."""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from misuse_graph import Client  # noqa: E402

URL = os.environ.get("MISUSE_GRAPH_URL")
ADMIN_KEY = os.environ.get("MISUSE_GRAPH_ADMIN_KEY")

UPSERT = "mutation ($input: CompanyInput!) { companyUpsert(input: $input) { result userErrors { message } } }"
DELETE = "mutation ($input: DeleteInput!) { companyDelete(input: $input) { deletedKey userErrors { message } } }"


@unittest.skipUnless(URL and ADMIN_KEY, "MISUSE_GRAPH_URL or MISUSE_GRAPH_ADMIN_KEY is not set")
class SyncTest(unittest.TestCase):
    def test_sync_returns_exactly_an_upsert_and_a_delete(self):
        admin = Client(URL, api_key=ADMIN_KEY)
        doomed = {"key": "python-sync-doomed", "name": "Python Sync Doomed", "kind": "OTHER"}
        self.assertEqual(admin.query(UPSERT, {"input": doomed})["companyUpsert"]["result"], "CREATED")

        client = Client(URL, pandas=False)
        full = client.sync(None)
        total = client.query("{ operations { totalCount } companies { totalCount } }")
        self.assertEqual(len(full["operations"]), total["operations"]["totalCount"])
        self.assertEqual(len(full["companies"]), total["companies"]["totalCount"])
        self.assertEqual(full["deletions"], [])

        added = {"key": "python-sync-added", "name": "Python Sync Added", "kind": "OTHER", "hqCountry": "DE"}
        self.assertEqual(admin.query(UPSERT, {"input": added})["companyUpsert"]["result"], "CREATED")
        self.assertEqual(admin.query(DELETE, {"input": {"key": doomed["key"]}})["companyDelete"]["deletedKey"], doomed["key"])

        changes = client.sync(full.watermark)
        self.assertEqual([row["key"] for row in changes["companies"]], [added["key"]])
        for kind in ("reports", "operations", "statements"):
            self.assertEqual(list(changes[kind]), [], kind)
        self.assertEqual([(d["kind"], d["key"]) for d in changes["deletions"]], [("COMPANY", doomed["key"])])
        self.assertGreaterEqual(changes.watermark, full.watermark)

        # Nothing happened after the second watermark.
        quiet = client.sync(changes.watermark)
        self.assertEqual(sum(len(quiet[kind]) for kind in ("companies", "reports", "operations", "statements")), 0)
        self.assertEqual(quiet["deletions"], [])

    def test_sync_returns_dataframes_with_pandas(self):
        try:
            import pandas  # noqa: F401
        except ImportError:
            self.skipTest("pandas is not installed")
        result = Client(URL).sync(None, kinds=["reports"])
        self.assertEqual(len(result["reports"]), Client(URL).query("{ reports { totalCount } }")["reports"]["totalCount"])
        self.assertIn("key", result["reports"].columns)
        with self.assertRaises(ValueError):
            Client(URL).sync(None, kinds=["countries"])
