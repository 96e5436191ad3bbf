"""Real meetings: ELITR transcripts with human minutes, AMI meetings from QMSum.

Summaries are compared with the human minutes (ELITR) or the "Summarize the whole meeting"
answer (QMSum) by ROUGE F1, beside a LEAD baseline of the same length. Action items found in
ELITR transcripts are soft-matched with the action lines of the minutes. The data folder is
TRAINMASTER_EVAL_DATA (default: ../shared/data beside the checkout); nothing is copied.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from statistics import mean

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from trainmaster.evaluation.data import default_data_dir  # noqa: F401 - re-exported
from trainmaster.evaluation.rouge import rouge_all, tokens
from trainmaster.intelligence.notes import (
    Embedder,
    NotesAnalysis,
    PersonRef,
    SummaryOptions,
    parse_notes,
)
from trainmaster.intelligence.notes.lexicon import heading_category
from trainmaster.intelligence.notes.summary import rank_sentences

_TAG = re.compile(r"\[?(PERSON\d+)\]?")
_METADATA = re.compile(
    r"^\s*(?:date(?: of the meeting)?|attendees|participants(?: of the meeting)?|present|"
    r"minutes (?:submitted|approved) by|the minutes was written by|meeting creator|"
    r"purpose(?: of (?:the )?meeting)?|name of the meeting|#lb)\b.*$", re.I | re.M)




@dataclass(frozen=True)
class Meeting:
    name: str
    transcript: str
    references: tuple[str, ...]  # human minutes or summaries
    people: tuple[PersonRef, ...] = ()
    meeting_date: date = date(2020, 1, 1)


def _people(*texts: str) -> tuple[PersonRef, ...]:
    tags = sorted({tag for text in texts for tag in _TAG.findall(text)},
                  key=lambda t: int(t[6:]))
    return tuple(PersonRef(tag, tag) for tag in tags)


def _minutes_date(texts: Sequence[str]) -> date:
    for text in texts:
        found = re.search(r"\b(20\d\d)[/.-](\d{1,2})[/.-](\d{1,2})\b", text)
        if found:
            return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
        found = re.search(r"\b(\d{1,2})\.\s*(\d{1,2})\.\s*(20\d\d)\b", text)
        if found:
            return date(int(found.group(3)), int(found.group(2)), int(found.group(1)))
    return date(2020, 1, 1)


def load_elitr(data_dir: Path) -> list[Meeting]:
    meetings = []
    for folder in sorted((data_dir / "meetings" / "elitr").glob("meeting_*")):
        transcripts = sorted(folder.glob("transcript_*.txt"))
        minutes = tuple(p.read_text(encoding="utf-8", errors="replace")
                        for p in sorted(folder.glob("minutes_*.txt")))
        if not transcripts or not minutes:
            continue
        transcript = transcripts[0].read_text(encoding="utf-8", errors="replace")
        meetings.append(Meeting(folder.name, transcript, minutes, _people(transcript, *minutes),
                                _minutes_date(minutes)))
    return meetings


def load_qmsum(data_dir: Path) -> list[Meeting]:
    meetings = []
    for path in sorted((data_dir / "meetings" / "qmsum_product").glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        lines = []
        for turn in raw["meeting_transcripts"]:
            content = re.sub(r"\{\w+\}", " ", turn["content"])
            content = re.sub(r"\s+([.,?!])", r"\1", " ".join(content.split()))
            if content.strip(" .,"):
                lines.append(f"{turn['speaker']}: {content}")
        answers = tuple(q["answer"] for q in raw["general_query_list"]
                        if q["query"].lower().startswith("summarize the whole meeting"))
        if answers:
            meetings.append(Meeting(path.stem, "\n".join(lines), answers))
    return meetings


def clean_minutes(text: str) -> str:
    """Minutes without their header fields (date, attendees, who wrote them)."""
    return "\n".join(line for line in _METADATA.sub("", text).splitlines() if line.strip())


def truncate(text: str, words: int) -> str:
    return " ".join(text.split()[:words])


def analyse_meeting(meeting: Meeting, summary_words: int | None = None) -> NotesAnalysis:
    options = SummaryOptions(max_words=summary_words) if summary_words else None
    return parse_notes(meeting.transcript, meeting_date=meeting.meeting_date,
                       people=meeting.people, summary=options)


# ---------------------------------------------------------------- summaries

SummarySystem = Callable[[NotesAnalysis, int], str]


def lead_summary(analysis: NotesAnalysis, words: int) -> str:
    return truncate(" ".join(s.sentence for s in analysis.sentences), words)


def textrank_summary(analysis: NotesAnalysis, words: int) -> str:
    texts = [s.sentence for s in analysis.sentences]
    chosen = rank_sentences(texts, options=SummaryOptions(max_words=words))
    return truncate(" ".join(texts[i] for i, _ in chosen), words)


def cued_summary(analysis: NotesAnalysis, words: int) -> str:
    return truncate(analysis.summary_text, words)


SUMMARY_SYSTEMS: dict[str, SummarySystem] = {
    "LEAD": lead_summary, "TextRank": textrank_summary, "TextRank + cues": cued_summary}


@dataclass
class SummaryReport:
    """Mean ROUGE F1 per system: over a meeting's references (mean and max), then meetings."""

    corpus: str
    meetings: int = 0
    mean_f1: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    max_f1: dict[str, dict[str, list[float]]] = field(default_factory=dict)

    def add(self, system: str, scores: list[dict[str, float]]) -> None:
        for metric in scores[0]:
            values = [s[metric] for s in scores]
            self.mean_f1.setdefault(system, {}).setdefault(metric, []).append(mean(values))
            self.max_f1.setdefault(system, {}).setdefault(metric, []).append(max(values))

    def wins_over(self, baseline: str, metric: str = "rouge1") -> dict[str, int]:
        """For each system, in how many meetings it beats `baseline` (mean over references)."""
        base = self.mean_f1[baseline][metric]
        return {system: sum(ours > theirs for ours, theirs in zip(
            metrics[metric], base, strict=True)) for system, metrics in self.mean_f1.items()
                if system != baseline}

    def table(self, how: str = "mean") -> dict[str, dict[str, float]]:
        source = self.mean_f1 if how == "mean" else self.max_f1
        return {system: {metric: mean(values) for metric, values in metrics.items()}
                for system, metrics in source.items()}


def evaluate_summaries(meetings: Sequence[Meeting], corpus: str,
                       clean: Callable[[str], str] = clean_minutes,
                       embedder: Embedder | None = None) -> SummaryReport:
    """ROUGE of each system's summary, cut to the mean length of the meeting's references."""
    systems = dict(SUMMARY_SYSTEMS)
    if embedder is not None:
        systems["TextRank (embeddings)"] = lambda a, words: _embedded_summary(a, words, embedder)
    report = SummaryReport(corpus)
    for meeting in meetings:
        references = [clean(r) for r in meeting.references]
        budget = round(mean(len(r.split()) for r in references))
        analysis = analyse_meeting(meeting, budget)
        report.meetings += 1
        for name, system in systems.items():
            summary = system(analysis, budget)
            scores = [{k: v.f1 for k, v in rouge_all(summary, r).items()} for r in references]
            report.add(name, scores)
    return report


def _embedded_summary(analysis: NotesAnalysis, words: int, embedder: Embedder) -> str:
    texts = [s.sentence for s in analysis.sentences]
    chosen = rank_sentences(texts, options=SummaryOptions(max_words=words), embedder=embedder)
    return truncate(" ".join(texts[i] for i, _ in chosen), words)


# ---------------------------------------------------------------- action items

_BULLET = re.compile(r"^\s*(?:[-–—•●○◦*]+|\d+[.)])\s*")
_PEOPLE = r"@?\[PERSON\d+\](?:\s*(?:,|and|&|/|\+)\s*@?\[PERSON\d+\])*"
_ASSIGNED = re.compile(
    rf"^(?:{_PEOPLE})\s*:?\s*(?:will|to|should|shall|needs? to|has to|have to|must|is going to|"
    rf"are going to|is to|are to)\s+\w", re.I)
_REQUESTED = re.compile(r"(?i:\bplease\b|^@|\bto-?do\b)|\bWANTED\b")
_PLANS = re.compile(r"(?:next\s+)?plans?|(?:next\s+)?steps", re.I)


def _heading(raw: str, line: str) -> bool:
    words = len(line.rstrip(":.").split())
    bullet = bool(_BULLET.match(raw))
    return not _ASSIGNED.match(line) and (words <= 2 if bullet else words <= 5)


def minutes_actions(minutes: str) -> list[str]:
    """The action lines of human minutes: lines under an action heading ("Next steps",
    "To do", "Plans", "Action items") and lines that assign work to people ("[PERSON6] will
    prepare…", "[PERSON10] to make…", "@[PERSON9]: please…", "WANTED …")."""
    found, in_actions = [], False
    for raw in clean_minutes(minutes).splitlines():
        line = _BULLET.sub("", raw).strip()
        if not line:
            continue
        if _heading(raw, line):
            title = line.rstrip(":.").strip()
            in_actions = heading_category(title) == "action" or bool(_PLANS.fullmatch(title))
            continue
        if in_actions or _ASSIGNED.match(line) or _REQUESTED.search(line):
            found.append(line)
    return found


def content_terms(text: str) -> set[str]:
    """Lower-case content words, crudely stemmed; PERSON tags kept as names."""
    terms = set()
    for word in tokens(text):
        if word in ENGLISH_STOP_WORDS or len(word) < 3:
            continue
        for suffix in ("ing", "ed", "es", "s"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)]
                break
        terms.add(word)
    return terms


def soft_similarity(proposed: str, gold: str) -> float:
    """Dice coefficient of the content terms of an extracted sentence and a minutes line."""
    a, b = content_terms(proposed), content_terms(gold)
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


_KEYWORD = re.compile(r"\b(?:will|'ll|’ll|going to|gonna|need to|needs to|have to|has to|"
                      r"should|please)\b", re.I)


def keyword_actions(analysis: NotesAnalysis) -> list[str]:
    """Baseline: every sentence of four words or more with a future or obligation word."""
    return [s.sentence for s in analysis.sentences
            if _KEYWORD.search(s.sentence) and len(s.sentence.split()) >= 4]


@dataclass
class ActionMatchReport:
    """Soft-match counts of extracted actions against minutes action lines, per threshold."""

    pairs: int = 0  # (meeting, minutes) pairs whose minutes have action lines
    counts: dict[tuple[str, float], tuple[int, int, int]] = field(default_factory=dict)
    # matched pairs whose minutes line names a person: (owner among them, pairs)
    owner_agrees: dict[float, tuple[int, int]] = field(default_factory=dict)

    def add(self, key: tuple[str, float], matched: int, proposed: int, gold: int) -> None:
        m, p, g = self.counts.get(key, (0, 0, 0))
        self.counts[key] = (m + matched, p + proposed, g + gold)

    def rates(self, key: tuple[str, float]) -> tuple[float, float]:
        matched, proposed, gold = self.counts[key]
        return (matched / proposed if proposed else 0.0, matched / gold if gold else 0.0)


def _pairs(proposed: Sequence[str], gold: Sequence[str], threshold: float) -> list[tuple[int, int]]:
    """A maximum one-to-one pairing of proposals and gold lines at least `threshold` alike."""
    from trainmaster.evaluation.notes_eval import max_matching

    pairs: list[tuple[int, int]] = []
    edges = {(p, g) for p in range(len(proposed)) for g in range(len(gold))
             if soft_similarity(proposed[p], gold[g]) >= threshold}
    max_matching(len(proposed), len(gold), lambda p, g: (p, g) in edges, pairs)
    return pairs


ACTION_SYSTEMS: dict[str, Callable[[NotesAnalysis], list[tuple[str, frozenset[str]]]]] = {
    "keyword baseline": lambda a: [(s, frozenset()) for s in keyword_actions(a)],
    "rules (all)": lambda a: [(p.source.sentence, frozenset(
        str(o.person_id) for o in p.owners if o.person_id)) for p in a.actions],
    "rules (confidence >= 0.8)": lambda a: [(p.source.sentence, frozenset(
        str(o.person_id) for o in p.owners if o.person_id)) for p in a.actions
        if p.confidence >= 0.8],
}


def evaluate_actions(meetings: Sequence[Meeting],
                     thresholds: Sequence[float] = (0.2, 0.3, 0.4)) -> ActionMatchReport:
    report = ActionMatchReport()
    for meeting in meetings:
        analysis = analyse_meeting(meeting)
        for minutes in meeting.references:
            gold = minutes_actions(minutes)
            if not gold:
                continue
            report.pairs += 1
            for name, system in ACTION_SYSTEMS.items():
                proposed = system(analysis)
                for threshold in thresholds:
                    pairs = _pairs([p for p, _ in proposed], gold, threshold)
                    report.add((name, threshold), len(pairs), len(proposed), len(gold))
                    if name == "rules (all)":
                        named = [(p, g) for p, g in pairs if _TAG.search(gold[g])]
                        agree = sum(1 for p, g in named
                                    if proposed[p][1] & set(_TAG.findall(gold[g])))
                        done, total = report.owner_agrees.get(threshold, (0, 0))
                        report.owner_agrees[threshold] = (done + agree, total + len(named))
    return report
