"""An optional backend: any OpenAI-compatible chat-completions endpoint the user configures.

The notes are split into numbered sentences locally; the model is asked for JSON that names
sentences by number, so every proposal still cites its exact source. Owners are resolved and
due phrases read by the same local code as the rule-based path. Nothing here runs unless a
user configures an endpoint; the rule-based `parse_notes` needs no network.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, tzinfo
from typing import Any

import httpx

from trainmaster.domain.errors import TrainmasterError
from trainmaster.intelligence.notes.analysis import parse_notes
from trainmaster.intelligence.notes.dates import Calendar, find_due_phrases, pick_due
from trainmaster.intelligence.notes.model import (
    ActionProposal,
    DecisionProposal,
    FeatureRef,
    ImpedimentProposal,
    IterationRef,
    MilestoneRef,
    NotesAnalysis,
    NotesFormat,
    PersonRef,
    RiskProposal,
    Source,
    SummaryPoint,
    TeamRef,
)
from trainmaster.intelligence.notes.people import NameIndex

SYSTEM_PROMPT = """You read meeting notes of an Agile Release Train and answer with JSON only.
The notes come as numbered sentences "[n] (speaker) text". Answer with this object:
{"summary": [n, ...],
 "decisions": [{"sentence": n, "text": "..."}],
 "actions": [{"sentence": n, "text": "...", "owners": ["name", ...],
              "due": "YYYY-MM-DD, a phrase such as 'by Friday', or null"}],
 "risks": [{"sentence": n, "text": "..."}],
 "impediments": [{"sentence": n, "text": "..."}]}
"summary" lists the 3 to 7 sentences that best summarise the meeting. A decision is a choice
the group made; an action is work someone committed to or was asked to do (not work already
done, not negated); a risk is an uncertain future problem; an impediment blocks work now.
"n" is the number of the sentence the item comes from. Owners are people's names as written."""


class NotesBackendError(TrainmasterError):
    """The configured language-model endpoint failed or answered something unusable."""


class OpenAICompatibleBackend:
    """Analyses notes through `{base_url}/chat/completions` of an OpenAI-compatible server."""

    def __init__(self, base_url: str, model: str, *, api_key: str | None = None,
                 timeout: float = 60.0, json_mode: bool = True,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self.api_key = api_key
        self.timeout = timeout
        self.json_mode = json_mode
        self.transport = transport

    def request_body(self, analysis: NotesAnalysis, people: Sequence[PersonRef] = ()) -> dict[
            str, Any]:
        lines = [f"[{s.index}] ({s.speaker}) {s.sentence}" if s.speaker else
                 f"[{s.index}] {s.sentence}" for s in analysis.sentences]
        roster = ", ".join(p.name for p in people) or "unknown"
        user = (f"Meeting date: {analysis.meeting_date.isoformat()}\nPeople: {roster}\n\n"
                + "\n".join(lines))
        body: dict[str, Any] = {"model": self.model, "temperature": 0, "messages": [
            {"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": user}]}
        if self.json_mode:
            body["response_format"] = {"type": "json_object"}
        return body

    def _post(self, body: dict[str, Any]) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        try:
            with httpx.Client(timeout=self.timeout, transport=self.transport) as client:
                response = client.post(self.url, json=body, headers=headers)
        except httpx.HTTPError as exc:
            raise NotesBackendError(f"cannot reach {self.url}: {exc}") from exc
        if response.status_code != 200:
            raise NotesBackendError(
                f"{self.url} answered {response.status_code}: {response.text[:200]}")
        try:
            payload = response.json()
            return dict(payload)
        except ValueError as exc:
            raise NotesBackendError(f"{self.url} did not answer JSON") from exc

    def analyse(self, text: str, *, meeting_date: date | datetime,
                fmt: NotesFormat | str | None = None, people: Sequence[PersonRef] = (),
                teams: Sequence[TeamRef] = (), features: Sequence[FeatureRef] = (),
                iterations: Sequence[IterationRef] = (), milestones: Sequence[MilestoneRef] = (),
                tz: tzinfo | str | None = None) -> NotesAnalysis:
        """The same analysis as `parse_notes`, with the proposals coming from the model."""
        local = parse_notes(text, meeting_date=meeting_date, fmt=fmt, people=people, teams=teams,
                            features=features, iterations=iterations, milestones=milestones, tz=tz)
        payload = self._post(self.request_body(local, people))
        calendar = Calendar(local.meeting_date, tuple(iterations), tuple(milestones))
        return read_completion(payload, local, NameIndex(list(people), list(teams)), calendar)


def completion_json(payload: dict[str, Any]) -> dict[str, Any]:
    """The JSON object in a chat-completions answer (code fences tolerated)."""
    try:
        content = payload["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError) as exc:
        raise NotesBackendError("the answer has no choices[0].message.content") from exc
    content = re.sub(r"^\s*```(?:json)?\s*|\s*```\s*$", "", str(content))
    try:
        data = json.loads(content)
    except ValueError as exc:
        raise NotesBackendError(f"the model's answer is not JSON: {content[:120]!r}") from exc
    if not isinstance(data, dict):
        raise NotesBackendError("the model's answer is not a JSON object")
    return data


def _items(data: dict[str, Any], key: str, sources: Sequence[Source]) -> list[tuple[Source,
                                                                                  dict[str, Any]]]:
    found = []
    for item in data.get(key) or []:
        if not isinstance(item, dict):
            continue
        index = item.get("sentence")
        if isinstance(index, int) and 0 <= index < len(sources):
            found.append((sources[index], item))
    return found


def _due(raw: object, calendar: Calendar) -> tuple[date | None, str | None]:
    if not isinstance(raw, str) or not raw.strip():
        return None, None
    try:
        return date.fromisoformat(raw.strip()), raw.strip()
    except ValueError:
        phrase = pick_due(raw, find_due_phrases(raw, calendar))
        return (phrase.on if phrase else None), raw.strip()


def read_completion(payload: dict[str, Any], local: NotesAnalysis, names: NameIndex,
                    calendar: Calendar) -> NotesAnalysis:
    """Proposals from a chat-completions answer, attached to the local sentences."""
    data = completion_json(payload)
    sources = local.sentences
    actions = []
    for source, item in _items(data, "actions", sources):
        owners = tuple(names.resolve(str(o)) for o in item.get("owners") or [] if str(o).strip())
        due, due_text = _due(item.get("due"), calendar)
        actions.append(ActionProposal(str(item.get("text") or source.sentence), owners, due,
                                      due_text, source, 0.8))
    summary = tuple(SummaryPoint(sources[i].sentence, sources[i], 1.0)
                    for i in sorted({i for i in data.get("summary") or []
                                     if isinstance(i, int) and 0 <= i < len(sources)}))
    return replace(
        local, summary=summary or local.summary, actions=tuple(actions),
        decisions=tuple(DecisionProposal(str(i.get("text") or s.sentence), s, 0.8)
                        for s, i in _items(data, "decisions", sources)),
        risks=tuple(RiskProposal(str(i.get("text") or s.sentence), s, 0.8)
                    for s, i in _items(data, "risks", sources)),
        impediments=tuple(ImpedimentProposal(str(i.get("text") or s.sentence), s, 0.8)
                          for s, i in _items(data, "impediments", sources)))
