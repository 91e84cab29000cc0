"""The misuse-graph client: lists and statistics as tables, and GraphQL for anything else."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from .errors import BadParameter, GraphQLError, HTTPError, RateLimited
from .stats import Stats
from .sync import KINDS as _SYNC_KINDS, Since, SyncResult, sync as _sync
from .tables import table

Fields = Optional[Union[str, Sequence[str]]]

_FILTER_TYPES = {
    "operations": "OperationFilter",
    "reports": "ReportFilter",
    "statements": "StatementFilter",
    "companies": "CompanyFilter",
    "countries": "CountryFilter",
}


def _fields(fields: Fields) -> Optional[str]:
    if fields is None:
        return None
    return fields if isinstance(fields, str) else ",".join(fields)


class Client:
    """A connection to a misuse-graph service.

    ``url`` is the service's address (``http://localhost:4000`` or its ``/graphql`` endpoint).
    Lists (``operations``, ``reports``, ``statements``, ``companies``, ``countries``) and statistics
    (``client.stats``) come from the streamed ``/export`` tables, so one call returns every row with
    no paging; each result carries the export's ``meta`` (dataset content hash, the query) in
    ``df.attrs["meta"]`` (or ``rows.meta`` without pandas). ``pandas=False`` returns lists of dicts
    even when pandas is installed.
    """

    def __init__(self, url: str, api_key: Optional[str] = None, timeout: float = 300.0, pandas: Optional[bool] = None):
        base = url.rstrip("/")
        if base.endswith("/graphql"):
            base = base[: -len("/graphql")]
        self.base_url = base
        self.graphql_url = base + "/graphql"
        self.api_key = api_key
        self.timeout = timeout
        self.use_pandas = pandas
        self.stats = Stats(self)
        #: ``meta`` of the latest export: the dataset version and the query it answered.
        self.last_meta: Dict[str, Any] = {}

    # -- HTTP ---------------------------------------------------------------------------------

    def _headers(self, extra: Optional[Dict[str, str]] = None) -> Dict[str, str]:
        headers = {"accept": "application/json, application/x-ndjson", "user-agent": "misuse-graph-python"}
        if self.api_key:
            headers["authorization"] = f"Bearer {self.api_key}"
        headers.update(extra or {})
        return headers

    def _open(self, request: urllib.request.Request):
        try:
            return urllib.request.urlopen(request, timeout=self.timeout)
        except urllib.error.HTTPError as error:
            raise self._http_error(error) from None
        except urllib.error.URLError as error:
            raise HTTPError(f"Cannot reach {request.full_url}: {error.reason}", 0) from None

    @staticmethod
    def _http_error(error: urllib.error.HTTPError) -> HTTPError:
        text = error.read().decode("utf-8", "replace")
        try:
            body = json.loads(text)
        except ValueError:
            body = text
        detail = body.get("error") if isinstance(body, dict) and isinstance(body.get("error"), dict) else None
        if detail is None and isinstance(body, dict) and body.get("errors"):
            first = body["errors"][0]
            detail = {"message": first.get("message"), "code": (first.get("extensions") or {}).get("code")}
        message = (detail or {}).get("message") or f"HTTP {error.code}: {text[:200]}"
        if error.code == 429:
            return RateLimited.from_headers(message, error.headers, body)
        if error.code == 400 and detail and detail.get("parameter"):
            return BadParameter(message, detail.get("parameter"), body)
        return HTTPError(message, error.code, (detail or {}).get("code"), body)

    def _ndjson(self, path: str, params: Iterable[Tuple[str, Any]]) -> Tuple[Dict[str, Any], List[Dict[str, Any]]]:
        query = urllib.parse.urlencode([(k, v) for k, v in params if v is not None])
        request = urllib.request.Request(f"{self.base_url}{path}{'?' + query if query else ''}", headers=self._headers())
        meta: Dict[str, Any] = {}
        rows: List[Dict[str, Any]] = []
        with self._open(request) as response:
            for line in response:
                if not line.strip():
                    continue
                record = json.loads(line)
                if not meta and "_meta" in record:
                    meta = record["_meta"]
                    continue
                rows.append(record)
        self.last_meta = meta
        return meta, rows

    # -- GraphQL ------------------------------------------------------------------------------

    def query(self, graphql: str, variables: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        """Runs a GraphQL document and returns its ``data``; errors raise GraphQLError (with ``code``)."""
        body = json.dumps({"query": graphql, "variables": variables or {}}).encode("utf-8")
        request = urllib.request.Request(self.graphql_url, data=body, headers=self._headers({"content-type": "application/json"}), method="POST")
        try:
            with self._open(request) as response:
                result = json.loads(response.read())
        except HTTPError as error:
            # GraphQL over HTTP answers some errors (validation, bad variables) with a 4xx and a body.
            if error.status not in (429, 0) and isinstance(error.body, dict) and error.body.get("errors"):
                raise GraphQLError(error.body["errors"], error.body.get("data")) from None
            raise
        if result.get("errors"):
            raise GraphQLError(result["errors"], result.get("data"))
        return result["data"]

    def paginate(self, field: str, selection: str, filter: Optional[Dict[str, Any]] = None, filter_type: Optional[str] = None, page_size: int = 100) -> Iterator[Dict[str, Any]]:
        """Yields every node of a top-level connection (e.g. ``operations``), following cursors for you."""
        filter_type = filter_type or _FILTER_TYPES[field]
        document = f"query ($filter: {filter_type}, $after: String) {{ list: {field}(first: {page_size}, after: $after, filter: $filter) {{ pageInfo {{ hasNextPage endCursor }} nodes {{ {selection} }} }} }}"
        after = None
        while True:
            page = self.query(document, {"filter": filter, "after": after})["list"]
            yield from page["nodes"]
            if not page["pageInfo"]["hasNextPage"]:
                return
            after = page["pageInfo"]["endCursor"]

    # -- Lists --------------------------------------------------------------------------------

    def _list(self, name: str, filter: Optional[Dict[str, Any]], fields: Fields, layout: str):
        params = [
            ("filter", json.dumps(filter) if filter else None),
            ("fields", _fields(fields)),
            ("layout", layout if layout != "wide" else None),
        ]
        meta, rows = self._ndjson(f"/export/{name}.ndjson", params)
        return table(rows, meta.get("fields") or (list(rows[0].keys()) if rows else []), meta, self.use_pandas)

    def operations(self, filter: Optional[Dict[str, Any]] = None, fields: Fields = None, layout: str = "wide"):
        """Operations an OperationFilter selects (e.g. ``{"originCountry": ["CN"]}``), one row each.

        Multi-valued columns (``categories``, ``origin_country_codes``, ``sources`` with
        ``source_kinds``, ...) hold lists. ``fields`` picks columns (the ``key`` column always comes
        first). ``layout="long"`` gives one row per value of the one list whose columns ``fields``
        names (e.g. ``fields=["name", "platform_keys", "platform_names"]``); without one, or with
        columns of two lists, the service answers BadParameter (``parameter == "fields"``).
        """
        return self._list("operations", filter, fields, layout)

    def reports(self, filter: Optional[Dict[str, Any]] = None, fields: Fields = None, layout: str = "wide"):
        """Threat reports a ReportFilter selects, one row each."""
        return self._list("reports", filter, fields, layout)

    def statements(self, filter: Optional[Dict[str, Any]] = None, fields: Fields = None, layout: str = "wide"):
        """Statements a StatementFilter selects, one row each."""
        return self._list("statements", filter, fields, layout)

    def companies(self, filter: Optional[Dict[str, Any]] = None, fields: Fields = None, layout: str = "wide"):
        """Companies a CompanyFilter selects, one row each."""
        return self._list("companies", filter, fields, layout)

    def countries(self, filter: Optional[Dict[str, Any]] = None, fields: Fields = None, layout: str = "wide"):
        """Countries a CountryFilter selects (ISO 3166-1), one row each."""
        return self._list("countries", filter, fields, layout)

    # -- Incremental sync ---------------------------------------------------------------------

    def sync(self, since: Since = None, kinds: Sequence[str] = _SYNC_KINDS) -> SyncResult:
        """Records created or changed since ``since`` (an ISO date-time or a datetime; everything
        when None), one table per kind, plus ``["deletions"]`` and the next ``.watermark``::

            first = client.sync(None)              # a full copy
            later = client.sync(first.watermark)   # only what changed since, and what was deleted
        """
        return _sync(self, since, kinds)

