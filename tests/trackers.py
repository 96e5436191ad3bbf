"""Jira Cloud and Azure DevOps as local HTTP servers on 127.0.0.1, answering in the shapes
of their REST API documentation from the recorded fixtures in tests/fixtures/.

They page (nextPageToken and startAt/total for Jira search, startAt/isLast for changelogs,
$top/$skip for Azure DevOps updates), cut embedded changelogs like Jira does, evaluate the
JQL and WIQL clauses trainmaster sends, and can be told to answer 429 / drop connections.
The benchmark uses `JiraServer` too, over a generated set of issues.
"""

from __future__ import annotations

import base64
import copy
import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

FIXTURES = Path(__file__).parent / "fixtures"
Answer = tuple[int, dict[str, str], bytes]


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> Answer:
    return status, {"Content-Type": "application/json", **(headers or {})}, \
        json.dumps(body).encode()


def _stamp(value: str) -> datetime:
    value = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", value.replace("Z", "+00:00"))
    return datetime.fromisoformat(value)


class FakeTracker:
    """What both fakes share: request log, injected failures, routing."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, dict[str, list[str]]]] = []
        self.headers: list[dict[str, str]] = []
        self.bodies: list[Any] = []
        self.throttled: list[tuple[str, int, str]] = []   # (path prefix, status, Retry-After)
        self.dropped: list[str] = []                      # path prefixes to hang up on once
        self.lock = threading.Lock()

    def throttle(self, prefix: str, times: int = 1, status: int = 429,
                 retry_after: str = "1") -> None:
        self.throttled += [(prefix, status, retry_after)] * times

    def drop(self, prefix: str, times: int = 1) -> None:
        self.dropped += [prefix] * times

    def paths(self, prefix: str = "") -> list[str]:
        return [p for _, p, _ in self.requests if p.startswith(prefix)]

    def answer(self, method: str, path: str, query: dict[str, list[str]], body: Any,
               headers: dict[str, str] | None = None) -> Answer | None:
        with self.lock:
            self.requests.append((method, path, query))
            self.headers.append(headers or {})
            self.bodies.append(body)
            for n, (prefix, status, after) in enumerate(self.throttled):
                if path.startswith(prefix):
                    del self.throttled[n]
                    return _json(status, {"errorMessages": ["Rate limit exceeded."]},
                                 {"Retry-After": after})
            for n, prefix in enumerate(self.dropped):
                if path.startswith(prefix):
                    del self.dropped[n]
                    return None
        return self.route(method, path, query, body)

    def route(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> Answer:
        raise NotImplementedError


class JiraServer(FakeTracker):
    """Jira Cloud REST API v3 (+ Agile 1.0 boards) over a list of issues."""

    def __init__(self, issues: list[dict[str, Any]] | None = None, *,
                 fixtures: Path = FIXTURES / "jira", page_size: int = 3,
                 embedded_changelog: int = 100, changelog_page: int = 50,
                 enhanced_search: bool = True, cache_searches: bool = False) -> None:
        super().__init__()
        self.fixtures = fixtures
        raw = issues if issues is not None else self._load("issues.json")
        self.issues: dict[str, dict[str, Any]] = {i["key"]: i for i in raw}
        self.page_size = page_size
        self.embedded_changelog = embedded_changelog
        self.changelog_page = changelog_page
        self.enhanced_search = enhanced_search
        self.cache: dict[str, list[dict[str, Any]]] | None = {} if cache_searches else None

    def _load(self, name: str) -> Any:
        return json.loads((self.fixtures / name).read_text())

    def route(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> Answer:
        try:
            return self._route(path, query, body)
        except JqlError as exc:
            return _json(400, {"errorMessages": [f"Error in the JQL Query: cannot read {exc}"],
                               "errors": {}})

    def _route(self, path: str, query: dict[str, list[str]], body: Any) -> Answer:
        if path == "/rest/api/3/field":
            return _json(200, self._load("fields.json"))
        if path == "/rest/api/3/myself":
            return _json(200, self._load("myself.json"))
        if m := re.fullmatch(r"/rest/agile/1.0/board/(\d+)/configuration", path):
            return self._fixture(f"board_{m.group(1)}_configuration.json")
        if m := re.fullmatch(r"/rest/api/3/filter/(\d+)", path):
            return self._fixture(f"filter_{m.group(1)}.json")
        if path == "/rest/api/3/search/approximate-count" and self.enhanced_search:
            return _json(200, {"count": len(self.matching(body["jql"]))})
        if path == "/rest/api/3/search/jql" and self.enhanced_search:
            return self.search_jql(query)
        if path == "/rest/api/3/search":
            return self.search(query)
        if m := re.fullmatch(r"/rest/api/3/issue/([A-Z]+-\d+)/changelog", path):
            return self.changelog(m.group(1), query)
        return _json(404, {"errorMessages": [f"No such resource: {path}"], "errors": {}})

    def _fixture(self, name: str) -> Answer:
        if not (self.fixtures / name).exists():
            return _json(404, {"errorMessages": ["The requested board cannot be viewed because "
                                                 "it either does not exist or you do not have "
                                                 "permission to view it."], "errors": {}})
        return _json(200, self._load(name))

    def search_jql(self, query: dict[str, list[str]]) -> Answer:
        found = self.matching(query["jql"][0])
        start = int(base64.b64decode(query["nextPageToken"][0])) if "nextPageToken" in query \
            else 0
        size = min(int(query.get("maxResults", ["50"])[0]), self.page_size)
        page = [self.shown(i) for i in found[start:start + size]]
        out: dict[str, Any] = {"issues": page, "isLast": start + size >= len(found)}
        if not out["isLast"]:
            out["nextPageToken"] = base64.b64encode(str(start + size).encode()).decode()
        return _json(200, out)

    def search(self, query: dict[str, list[str]]) -> Answer:
        found = self.matching(query["jql"][0])
        start = int(query.get("startAt", ["0"])[0])
        size = min(int(query.get("maxResults", ["50"])[0]), self.page_size)
        return _json(200, {"expand": "schema,names", "startAt": start, "maxResults": size,
                           "total": len(found),
                           "issues": [self.shown(i) for i in found[start:start + size]]})

    def shown(self, issue: dict[str, Any]) -> dict[str, Any]:
        """An issue as a search shows it: the embedded changelog cut like Jira cuts it."""
        out = dict(issue)
        histories = issue["changelog"]["histories"]
        if len(histories) > self.embedded_changelog:
            out["changelog"] = {"startAt": 0, "maxResults": self.embedded_changelog,
                                "total": len(histories),
                                "histories": histories[:self.embedded_changelog]}
        return out

    def changelog(self, key: str, query: dict[str, list[str]]) -> Answer:
        if key not in self.issues:
            return _json(404, {"errorMessages": ["Issue does not exist or you do not have "
                                                 "permission to see it."], "errors": {}})
        histories = self.issues[key]["changelog"]["histories"]
        start = int(query.get("startAt", ["0"])[0])
        size = min(int(query.get("maxResults", ["100"])[0]), self.changelog_page)
        values = histories[start:start + size]
        last = start + size >= len(histories)
        base = f"/rest/api/3/issue/{key}/changelog"
        return _json(200, {"self": f"{base}?startAt={start}&maxResults={size}",
                           **({} if last else {"nextPage": f"{base}?startAt={start + size}"}),
                           "maxResults": size, "startAt": start, "total": len(histories),
                           "isLast": last, "values": values})

    # -- a JQL subset: clauses joined by AND ------------------------------------------------

    def matching(self, jql: str) -> list[dict[str, Any]]:
        if self.cache is not None:   # the benchmark's large unchanging set
            if jql not in self.cache:
                self.cache[jql] = self._matching(jql)
            return self.cache[jql]
        return self._matching(jql)

    def _matching(self, jql: str) -> list[dict[str, Any]]:
        jql = re.sub(r"\s+ORDER BY .*$", "", jql, flags=re.IGNORECASE)
        tests = [self._clause(c) for c in _split_and(jql)]
        found = [i for i in self.issues.values() if all(t(i) for t in tests)]
        return sorted(found, key=lambda i: int(i["id"]))

    def _clause(self, clause: str) -> Callable[[dict[str, Any]], bool]:
        clause = clause.strip()
        while clause.startswith("(") and clause.endswith(")"):
            clause = clause[1:-1].strip()
        if m := re.fullmatch(r'project\s+in\s+\(([^)]*)\)', clause, re.IGNORECASE):
            keys = {k.strip().strip('"') for k in m.group(1).split(",")}
            return lambda i: i["fields"]["project"]["key"] in keys
        if m := re.fullmatch(r'project\s*=\s*"?(\w+)"?', clause, re.IGNORECASE):
            key = m.group(1)
            return lambda i: i["fields"]["project"]["key"] == key
        if m := re.fullmatch(r'updated\s*>=\s*"([\d-]+ [\d:]+)"', clause, re.IGNORECASE):
            zone = ZoneInfo(self._load("myself.json")["timeZone"])
            since = datetime.strptime(m.group(1), "%Y-%m-%d %H:%M").replace(tzinfo=zone)
            return lambda i: _stamp(i["fields"]["updated"]) >= since
        if m := re.fullmatch(r'labels\s*!=\s*"?([\w-]+)"?', clause, re.IGNORECASE):
            label = m.group(1)
            return lambda i: label not in i["fields"]["labels"]
        raise JqlError(clause)


class JqlError(ValueError):
    pass


def _split_and(jql: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for token in re.split(r"(\(|\)|\s+AND\s+)", jql, flags=re.IGNORECASE):
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
        if depth == 0 and re.fullmatch(r"\s+AND\s+", token or "", re.IGNORECASE):
            parts.append(current)
            current = ""
        else:
            current += token or ""
    return [p for p in parts + [current] if p.strip()]


class AzureServer(FakeTracker):
    """Azure DevOps Boards REST API 7.1 over recorded work items and their updates."""

    project = "Payments"

    def __init__(self, *, fixtures: Path = FIXTURES / "azure") -> None:
        super().__init__()
        self.fixtures = fixtures
        self.items = {w["id"]: w for w in json.loads((fixtures / "workitems.json").read_text())}
        self.updates: dict[str, list[dict[str, Any]]] = json.loads(
            (fixtures / "updates.json").read_text())
        self.iterations = json.loads((fixtures / "iterations.json").read_text())

    def route(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> Answer:
        if not path.startswith(f"/{self.project}/"):
            return _json(404, {"message": f"VS800075: The project with id '{path.split('/')[1]}'"
                                          " does not exist, or you do not have permission to "
                                          "access it.", "typeKey": "ProjectDoesNotExistException"})
        if query.get("api-version") != ["7.1"]:
            return _json(400, {"message": "The requested REST API version is not supported.",
                               "typeKey": "VssVersionOutOfRangeException"})
        if path.endswith("/_apis/wit/classificationnodes/Iterations"):
            return _json(200, self.iterations)
        if path.endswith("/_apis/wit/wiql"):
            return self.wiql(body["query"], int(query.get("$top", ["20000"])[0]))
        if path.endswith("/_apis/wit/workitemsbatch"):
            found = [copy.deepcopy(self.items.get(i)) for i in body["ids"]]
            return _json(200, {"count": len(found), "value": found})
        if m := re.search(r"/_apis/wit/workItems/(\d+)/updates$", path):
            values = self.updates.get(m.group(1), [])
            skip, top = int(query.get("$skip", ["0"])[0]), int(query.get("$top", ["200"])[0])
            page = values[skip:skip + min(top, 200)]
            return _json(200, {"count": len(page), "value": page})
        return _json(404, {"message": f"VS800075: The project or resource {path} does not "
                                      "exist.", "typeKey": "ProjectDoesNotExistException"})

    def wiql(self, query: str, top: int) -> Answer:
        after = int(re.search(r"\[System\.Id\] > (\d+)", query).group(1))  # type: ignore[union-attr]
        since = re.search(r"\[System\.ChangedDate\] >= '([^']+)'", query)
        areas = re.findall(r"\[System\.AreaPath\] UNDER '((?:[^']|'')+)'", query)
        found = []
        for wid, item in sorted(self.items.items()):
            f = item["fields"]
            if wid <= after:
                continue
            if since and _stamp(f["System.ChangedDate"]) < _stamp(since.group(1)):
                continue
            path = f["System.AreaPath"].casefold()
            if areas and not any(path == a.replace("''", "'").casefold()
                                 or path.startswith(a.replace("''", "'").casefold() + "\\")
                                 for a in areas):
                continue
            found.append(wid)
        found = found[:top]
        return _json(200, {"queryType": "flat", "queryResultType": "workItem",
                           "asOf": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
                           "columns": [{"referenceName": "System.Id", "name": "ID",
                                        "url": "https://dev.azure.com/contoso/_apis/wit/fields/"
                                               "System.Id"}],
                           "workItems": [{"id": w, "url": "https://dev.azure.com/contoso/_apis/"
                                                      f"wit/workItems/{w}"} for w in found]})


class _Handler(BaseHTTPRequestHandler):
    tracker: FakeTracker
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _serve(self, method: str) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length)) if length else None
        answer = self.tracker.answer(method, unquote(parts.path), parse_qs(parts.query), body,
                                     {k.lower(): v for k, v in self.headers.items()})
        if answer is None:   # hang up without an answer
            self.close_connection = True
            self.connection.shutdown(2)
            return
        status, headers, payload = answer
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")


@contextmanager
def serve(tracker: FakeTracker) -> Iterator[str]:
    """Serve the fake on a free port of 127.0.0.1; yields its base URL."""
    handler = type("Handler", (_Handler,), {"tracker": tracker})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
