"""A JSON client over httpx that retries what is worth retrying.

Retried, with bounded exponential backoff: network errors (connect, read, timeouts),
429 Too Many Requests and 502/503/504. A `Retry-After` header (seconds or an HTTP date)
sets the wait; otherwise it doubles from `backoff` up to `max_backoff`. Everything else
fails at once with a trainmaster error naming the URL and the server's own message.
`sleep` is injectable so tests wait for nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Self

import httpx

from trainmaster.domain.errors import Conflict, Invalid, NotFound, TrainmasterError

RETRY_STATUSES = frozenset({429, 502, 503, 504})


@dataclass(frozen=True)
class Credentials:
    """Basic (user + secret, e.g. e-mail + API token) or bearer (secret only)."""

    secret: str
    user: str | None = None

    def apply(self, headers: dict[str, str]) -> httpx.Auth | None:
        if self.user is not None:
            return httpx.BasicAuth(self.user, self.secret)
        headers["Authorization"] = f"Bearer {self.secret}"
        return None


@dataclass
class RetryPolicy:
    attempts: int = 5
    backoff: float = 0.5
    max_backoff: float = 30.0
    sleep: Callable[[float], None] = time.sleep

    def wait(self, attempt: int, response: httpx.Response | None) -> float:
        """Seconds to wait before attempt `attempt + 1`."""
        header = response.headers.get("Retry-After") if response is not None else None
        if header:
            seconds = _retry_after(header)
            if seconds is not None:
                return min(seconds, self.max_backoff)
        return min(self.backoff * 2 ** (attempt - 1), self.max_backoff)


def _retry_after(value: str) -> float | None:
    value = value.strip()
    if value.replace(".", "", 1).isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class RetryingClient:
    """GET and POST JSON against one base URL, with retries and clear errors."""

    def __init__(self, base_url: str, credentials: Credentials | None = None, *,
                 policy: RetryPolicy | None = None, timeout: float = 30.0,
                 headers: Mapping[str, str] | None = None,
                 transport: httpx.BaseTransport | None = None) -> None:
        base_url = (base_url or "").strip().rstrip("/")
        if not base_url.startswith(("http://", "https://")):
            raise Invalid(f"{base_url!r} is not an http(s) URL", field="url")
        all_headers = {"Accept": "application/json", **(headers or {})}
        auth = credentials.apply(all_headers) if credentials else None
        self.base_url = base_url
        self.policy = policy or RetryPolicy()
        self.requests = 0
        self.retries = 0
        self._client = httpx.Client(base_url=base_url, auth=auth, headers=all_headers,
                                    timeout=timeout, transport=transport)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get_json(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        return self.request("GET", path, params=params)

    def post_json(self, path: str, body: Any, params: Mapping[str, Any] | None = None) -> Any:
        return self.request("POST", path, params=params, json=body)

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        attempt = 0
        while True:
            attempt += 1
            self.requests += 1
            try:
                response = self._client.request(method, path, **kwargs)
            except httpx.TransportError as exc:
                if attempt >= self.policy.attempts:
                    raise Invalid(f"{self.base_url}{path} did not answer after {attempt} "
                                  f"attempts ({type(exc).__name__}: {exc})", field="url") from exc
                self._pause(attempt, None)
                continue
            if response.status_code in RETRY_STATUSES and attempt < self.policy.attempts:
                self._pause(attempt, response)
                continue
            return self._decode(response, path)

    def _pause(self, attempt: int, response: httpx.Response | None) -> None:
        self.retries += 1
        self.policy.sleep(self.policy.wait(attempt, response))

    def _decode(self, response: httpx.Response, path: str) -> Any:
        if response.status_code >= 400:
            raise _status_error(response, f"{self.base_url}{path}")
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise Invalid(f"{self.base_url}{path} answered with something that is not JSON "
                          f"({response.text[:80]!r})", field="url") from None


def _status_error(response: httpx.Response, where: str) -> TrainmasterError:
    code = response.status_code
    reason = f"{where} answered HTTP {code}: {server_message(response)}"
    if code in (401, 403):
        return Invalid(reason + " (check the user, token and their permissions)", field="token")
    if code == 404:
        return NotFound(reason)
    if code in RETRY_STATUSES:
        return Conflict(reason + " (gave up after retrying)")
    return Invalid(reason, field="query" if code == 400 else "url")


def server_message(response: httpx.Response) -> str:
    """The server's own explanation: Jira's errorMessages/errors or Azure DevOps' message."""
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:200] or response.reason_phrase
    if isinstance(body, dict):
        parts = [str(m) for m in body.get("errorMessages") or []]
        parts += [f"{k}: {v}" for k, v in (body.get("errors") or {}).items()]
        if body.get("message"):
            parts.append(str(body["message"]))
        if parts:
            return "; ".join(parts)[:300]
    return str(body)[:200]
