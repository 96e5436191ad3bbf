"""The OpenAI-compatible backend against a small HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

from trainmaster.intelligence.notes import (
    IterationRef,
    NotesBackendError,
    OpenAICompatibleBackend,
    PersonRef,
)

NOTES = ("Alice: We agreed to move the refund workflow to iteration 3.\n"
         "Tom: I'll rotate the certificates by Friday.\n"
         "Alice: The vendor might slip again.\n")
PEOPLE = [PersonRef("p-alice", "Alice Moreau"), PersonRef("p-tom", "Thomas O'Brien", ("Tom",))]
DAY = date(2025, 3, 12)


class _Server(HTTPServer):
    requests: list[dict[str, Any]]
    headers_seen: list[dict[str, str]]
    reply: tuple[int, str]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append({"path": self.path, "body": body})
        self.server.headers_seen.append(dict(self.headers))
        status, content = self.server.reply
        payload = json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]})
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(payload.encode() if status == 200 else b'{"error": "overloaded"}')

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def server() -> Iterator[_Server]:
    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.requests, httpd.headers_seen = [], []
    httpd.reply = (200, "{}")
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _backend(server: _Server, **options: Any) -> OpenAICompatibleBackend:
    host, port = server.server_address[:2]
    return OpenAICompatibleBackend(f"http://{host}:{port}/v1/", "tiny-model", **options)


ANSWER = {
    "summary": [0, 2, 99],
    "decisions": [{"sentence": 0, "text": "Refund workflow moves to iteration 3"}],
    "actions": [{"sentence": 1, "text": "Rotate the certificates", "owners": ["Tom"],
                 "due": "by Friday"},
                {"sentence": 7, "text": "out of range is dropped", "owners": []}],
    "risks": [{"sentence": 2, "text": "Vendor may slip"}],
    "impediments": [],
}


def test_the_request_numbers_the_sentences_and_asks_for_json(server):
    server.reply = (200, json.dumps(ANSWER))
    _backend(server, api_key="secret").analyse(NOTES, meeting_date=DAY, people=PEOPLE)
    [request] = server.requests
    assert request["path"] == "/v1/chat/completions"
    body = request["body"]
    assert body["model"] == "tiny-model" and body["response_format"] == {"type": "json_object"}
    user = body["messages"][1]["content"]
    assert "Meeting date: 2025-03-12" in user and "Alice Moreau" in user
    assert "[1] (Tom) I'll rotate the certificates by Friday." in user
    assert server.headers_seen[0]["Authorization"] == "Bearer secret"


def test_the_answer_becomes_proposals_that_cite_local_sentences(server):
    server.reply = (200, "```json\n" + json.dumps(ANSWER) + "\n```")
    analysis = _backend(server).analyse(NOTES, meeting_date=DAY, people=PEOPLE,
                                        iterations=[IterationRef("I1", DAY, DAY)])
    [action] = analysis.actions
    assert action.text == "Rotate the certificates" and action.owner_id == "p-tom"
    assert action.due == date(2025, 3, 14) and action.due_text == "by Friday"
    assert action.source.index == 1 and action.source.speaker == "Tom"
    assert NOTES[action.source.start:action.source.end] == action.source.sentence
    assert [d.source.index for d in analysis.decisions] == [0]
    assert [r.text for r in analysis.risks] == ["Vendor may slip"]
    assert [p.source.index for p in analysis.summary] == [0, 2]


def test_an_iso_due_date_is_taken_as_is(server):
    answer = {"actions": [{"sentence": 1, "text": "x", "owners": ["Someone Else"],
                           "due": "2025-04-01"}]}
    server.reply = (200, json.dumps(answer))
    [action] = _backend(server).analyse(NOTES, meeting_date=DAY, people=PEOPLE).actions
    assert action.due == date(2025, 4, 1)
    assert action.owner_id is None and action.owner_text == "Someone Else"


def test_an_error_status_raises_a_backend_error(server):
    server.reply = (503, "")
    with pytest.raises(NotesBackendError, match="503"):
        _backend(server).analyse(NOTES, meeting_date=DAY)


def test_an_answer_that_is_not_json_raises_a_backend_error(server):
    server.reply = (200, "Sure! Here are the action items: ...")
    with pytest.raises(NotesBackendError, match="not JSON"):
        _backend(server, json_mode=False).analyse(NOTES, meeting_date=DAY)
    assert "response_format" not in server.requests[0]["body"]


def test_an_unreachable_endpoint_raises_a_backend_error():
    backend = OpenAICompatibleBackend("http://127.0.0.1:9", "m", timeout=2.0)
    with pytest.raises(NotesBackendError, match="cannot reach"):
        backend.analyse(NOTES, meeting_date=DAY)
