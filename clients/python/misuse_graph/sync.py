"""Incremental sync: what changed and what was deleted since a watermark."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Union

if TYPE_CHECKING:  # pragma: no cover
    from .client import Client

Since = Optional[Union[str, datetime]]

#: The lists sync refreshes, in the order they are fetched.
KINDS = ("companies", "reports", "operations", "statements")

_DELETIONS = """query ($since: DateTimeISO!, $after: String) {
  deletions(since: $since, first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { kind key deletedAt } }
}"""


def _iso(since: Union[str, datetime]) -> str:
    if isinstance(since, datetime):
        if since.tzinfo is None:  # a naive datetime is taken as UTC, as the service states times
            since = since.replace(tzinfo=timezone.utc)
        return since.isoformat()
    return since


class SyncResult(dict):
    """What ``Client.sync`` returns: one table per kind (``result["operations"]``, ...) of the records
    created or changed since the watermark, ``result["deletions"]`` (kind, key, deletedAt of every record
    deleted since), and ``result.watermark``, the ``since`` to pass next time. A record may come twice
    across syncs (never be missed): apply changes as upserts by key and deletions by kind and key."""

    watermark: str = ""


def sync(client: "Client", since: Since, kinds: Sequence[str] = KINDS, pandas: Optional[bool] = None) -> SyncResult:
    """Reads the watermark first, then every record changed at or after ``since`` (every record when
    ``since`` is None) and the tombstones since then, so that nothing committed meanwhile is lost."""
    watermark = client.query("{ syncWatermark }")["syncWatermark"]
    result = SyncResult()
    result.watermark = watermark
    lister = client if pandas is None else type(client)(client.base_url, client.api_key, client.timeout, pandas)
    for kind in kinds:
        if kind not in KINDS:
            raise ValueError(f"kinds: {kind!r} is not one of {', '.join(KINDS)}")
        result[kind] = getattr(lister, kind)(filter={"updatedSince": _iso(since)} if since is not None else None)
    deletions: List[Dict[str, Any]] = []
    if since is not None:
        after = None
        while True:
            page = client.query(_DELETIONS, {"since": _iso(since), "after": after})["deletions"]
            deletions.extend(page["nodes"])
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
    result["deletions"] = deletions
    return result
