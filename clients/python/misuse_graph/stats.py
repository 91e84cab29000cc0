"""Operation statistics as tidy tables: one row per bucket (and split), kind/key/label columns."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Dict, Optional

from .tables import table

if TYPE_CHECKING:  # pragma: no cover
    from .client import Client


def _bool(value: Optional[bool]) -> Optional[str]:
    return None if value is None else ("true" if value else "false")


class Stats:
    """``client.stats``: distributions, cross-tabs and time series over operations.

    Every table has a ``kind`` column (``VALUE``, ``NONE`` for operations with no value, ``OTHER``
    for values beyond the limit) beside ``key`` (ISO code, company key, enum value, ``2025-Q3``) and
    ``label``, so NONE and OTHER never pass for real values. Filters are OperationFilter dicts.
    """

    def __init__(self, client: "Client"):
        self._client = client

    def _get(self, path: str, filter: Optional[Dict[str, Any]], **params: Any):
        pairs = [("filter", json.dumps(filter) if filter else None)] + [(k, v) for k, v in params.items()]
        meta, rows = self._client._ndjson(f"/export/stats/operations/{path}.ndjson", pairs)
        columns = list(rows[0].keys()) if rows else []
        return table(rows, columns, meta, self._client.use_pandas)

    def by(self, dimension: str, filter: Optional[Dict[str, Any]] = None, limit: int = 500, include_other: bool = True, unit: Optional[str] = None):
        """Distinct operations per value of ``dimension`` (e.g. ``"ORIGIN_COUNTRY"``, ``"CATEGORY"``).

        Columns: dimension, kind, key, label, count, share (over ``meta["denominator"]``).
        ``unit="DISCLOSURES"`` counts disclosures (operation-report pairs) instead of operations.
        """
        return self._get(f"by/{dimension}", filter, limit=limit, includeOther=_bool(include_other), unit=unit)

    def cross_tab(self, rows: str, columns: str, filter: Optional[Dict[str, Any]] = None, unit: Optional[str] = None):
        """Distinct operations per pair of values: one row per non-empty cell, row_* and column_* columns.

        Attributes of disclosures (PUBLISHER, REPORT, YEAR, QUARTER, DISCLOSURE_BREAKOUT_SCALE) pair
        within one disclosure: ``cross_tab("PUBLISHER", "YEAR")`` counts what each publisher disclosed each year.
        """
        return self._get(f"crossTab/{rows}/{columns}", filter, unit=unit)

    def over_time(
        self,
        interval: str,
        split_by: Optional[str] = None,
        filter: Optional[Dict[str, Any]] = None,
        date_axis: Optional[str] = None,
        start: Optional[str] = None,
        end: Optional[str] = None,
        cumulative: bool = False,
        unit: Optional[str] = None,
    ):
        """Distinct operations per MONTH, QUARTER or YEAR, zero-filled; with ``split_by`` one row per
        bucket and value (split_kind, split_key, split_label, count, share, bucket_count).

        With ``date_axis="DISCLOSURE"`` and ``split_by="PUBLISHER"`` an operation counts under a
        publisher in a bucket only if a report of that publisher dated in the bucket disclosed it."""
        return self._get(
            f"overTime/{interval}",
            filter,
            splitBy=split_by,
            dateAxis=date_axis,
            **{"from": start, "to": end},
            cumulative=_bool(cumulative) if cumulative else None,
            unit=unit,
        )
