"""Rows to tables: a pandas DataFrame when pandas is installed, else a list of dicts."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

try:  # pandas is optional
    import pandas as _pd
except ImportError:  # pragma: no cover - exercised where pandas is missing
    _pd = None

HAVE_PANDAS = _pd is not None


class Rows(list):
    """A list of dicts that also carries the export's ``meta`` (dataset version, query)."""

    meta: Dict[str, Any] = {}


def table(rows: List[Dict[str, Any]], columns: List[str], meta: Dict[str, Any], use_pandas: Optional[bool]):
    """Builds the return value of a list or statistic: columns in the export's order, meta attached."""
    if use_pandas is None:
        use_pandas = HAVE_PANDAS
    if use_pandas:
        if _pd is None:
            raise ImportError("pandas is not installed; pass pandas=False to get lists of dicts")
        frame = _pd.DataFrame.from_records(rows, columns=columns)
        frame.attrs["meta"] = meta
        return frame
    out = Rows(rows)
    out.meta = meta
    return out
