"""Exceptions the client raises: one class per thing a caller may want to handle differently."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Optional


class MisuseGraphError(Exception):
    """Base class of every error this client raises."""


class HTTPError(MisuseGraphError):
    """The service answered with an unexpected HTTP status (or could not be reached: status 0)."""

    def __init__(self, message: str, status: int, code: Optional[str] = None, body: Any = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.body = body


class BadParameter(HTTPError):
    """An export refused a parameter (HTTP 400); ``parameter`` names it, e.g. ``filter.originCountry``."""

    def __init__(self, message: str, parameter: Optional[str], body: Any = None):
        super().__init__(message, 400, "BAD_USER_INPUT", body)
        self.parameter = parameter


class RateLimited(HTTPError):
    """The rate-limit budget is spent (HTTP 429); ``reset_at`` says when it refills (UTC)."""

    def __init__(self, message: str, reset_at: Optional[datetime], retry_after: Optional[int], body: Any = None):
        super().__init__(message, 429, "RATE_LIMITED", body)
        self.reset_at = reset_at
        self.retry_after = retry_after

    @staticmethod
    def from_headers(message: str, headers: Any, body: Any = None) -> "RateLimited":
        reset = headers.get("x-ratelimit-reset")
        retry = headers.get("retry-after")
        reset_at = datetime.fromtimestamp(int(reset), tz=timezone.utc) if reset and reset.isdigit() else None
        return RateLimited(message, reset_at, int(retry) if retry and retry.isdigit() else None, body)


class GraphQLError(MisuseGraphError):
    """A GraphQL request came back with errors; ``code`` is the first error's ``extensions.code``."""

    def __init__(self, errors: list, data: Any = None):
        first = errors[0] if errors else {}
        super().__init__("; ".join(str(e.get("message")) for e in errors) or "GraphQL error")
        self.errors = errors
        self.data = data
        self.code = (first.get("extensions") or {}).get("code")
        self.path = first.get("path")
