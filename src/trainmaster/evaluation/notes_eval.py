"""Figures for the meeting-notes extractor: the labelled set, ELITR minutes, QMSum summaries.

The labelled set lives in tests/fixtures/notes/ (dev/ and heldout/ halves, gold JSON beside
each note). A proposal matches a gold item when the gold evidence phrase occurs in the
sentence the proposal cites; items are paired one-to-one (maximum bipartite matching). For
actions the match can also require the same owners and the same due date.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from trainmaster.intelligence.notes import (
    ActionProposal,
    Embedder,
    FeatureRef,
    IterationRef,
    MilestoneRef,
    NotesAnalysis,
    PersonRef,
    TeamRef,
    parse_notes,
)

NOTE_SUFFIXES = (".md", ".txt", ".vtt")
SPLITS = ("dev", "heldout")


@dataclass(frozen=True)
class Counts:
    """Matched, proposed and gold item counts, with precision, recall and F1."""

    matched: int = 0
    proposed: int = 0
    gold: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.matched + other.matched, self.proposed + other.proposed,
                      self.gold + other.gold)

    @property
    def precision(self) -> float:
        return self.matched / self.proposed if self.proposed else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def precision_ci(self) -> tuple[float, float]:
        return wilson(self.matched, self.proposed)

    @property
    def recall_ci(self) -> tuple[float, float]:
        return wilson(self.matched, self.gold)


def wilson(successes: int, trials: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval (95 % by default) of a proportion."""
    if trials == 0:
        return 0.0, 1.0
    share = successes / trials
    centre = (share + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z * ((share * (1 - share) / trials + z * z / (4 * trials * trials)) ** 0.5) / (
        1 + z * z / trials)
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Roster:
    people: tuple[PersonRef, ...]
    teams: tuple[TeamRef, ...]
    features: tuple[FeatureRef, ...]
    iterations: tuple[IterationRef, ...]
    milestones: tuple[MilestoneRef, ...]


@dataclass(frozen=True)
class LabelledNote:
    name: str
    split: str
    text: str
    meeting_date: date
    gold: dict[str, Any]


def default_fixtures_dir() -> Path:
    return Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "notes"


def load_roster(folder: Path) -> Roster:
    raw = json.loads((folder / "roster.json").read_text(encoding="utf-8"))
    return Roster(
        people=tuple(PersonRef(p["id"], p["name"], tuple(p.get("aliases", ())))
                     for p in raw["people"]),
        teams=tuple(TeamRef(t["id"], t["name"]) for t in raw["teams"]),
        features=tuple(FeatureRef(f["id"], f["key"], f["title"]) for f in raw["features"]),
        iterations=tuple(IterationRef(i["name"], date.fromisoformat(i["start"]),
                                      date.fromisoformat(i["end"])) for i in raw["iterations"]),
        milestones=tuple(MilestoneRef(m["name"], date.fromisoformat(m["on"]))
                         for m in raw["milestones"]))


def load_labelled(folder: Path, splits: Iterable[str] = SPLITS) -> list[LabelledNote]:
    notes = []
    for split in splits:
        for path in sorted((folder / split).iterdir()):
            if path.suffix not in NOTE_SUFFIXES:
                continue
            gold = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
            notes.append(LabelledNote(path.stem, split, path.read_text(encoding="utf-8"),
                                      date.fromisoformat(gold["meeting_date"]), gold))
    return notes


def analyse_labelled(note: LabelledNote, roster: Roster) -> NotesAnalysis:
    return parse_notes(note.text, meeting_date=note.meeting_date, people=roster.people,
                       teams=roster.teams, features=roster.features,
                       iterations=roster.iterations, milestones=roster.milestones)


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").replace("“", '"').replace("”", '"').split())


def _evidence(item: dict[str, Any]) -> list[str]:
    raw = item["evidence"]
    return [_norm(e) for e in (raw if isinstance(raw, list) else [raw])]


def max_matching(left: int, right: int, edge: Callable[[int, int], bool],
                 pairs: list[tuple[int, int]] | None = None) -> int:
    """Size of a maximum one-to-one matching between two sets (augmenting paths); the
    matched (left, right) pairs are appended to `pairs` when given."""
    partner: dict[int, int] = {}
    adjacency = [[r for r in range(right) if edge(lo, r)] for lo in range(left)]

    def augment(node: int, seen: set[int]) -> bool:
        for other in adjacency[node]:
            if other in seen:
                continue
            seen.add(other)
            if other not in partner or augment(partner[other], seen):
                partner[other] = node
                return True
        return False

    size = sum(1 for node in range(left) if augment(node, set()))
    if pairs is not None:
        pairs.extend(sorted((node, other) for other, node in partner.items()))
    return size


def _cites(sentence: str, gold: dict[str, Any]) -> bool:
    text = _norm(sentence)
    return any(e in text for e in _evidence(gold))


def owners_match(action: ActionProposal, gold: dict[str, Any]) -> bool:
    resolved = {o.person_id if o.person_id is not None else o.team_id
                for o in action.owners if o.resolved}
    unresolved = [_norm(o.text) for o in action.owners if not o.resolved]
    wanted = [_norm(u) for u in gold.get("unresolved_owners", [])]
    if resolved != set(gold.get("owners", [])) or len(unresolved) != len(wanted):
        return False
    return all(any(w in u or u in w for u in unresolved) for w in wanted)


def due_matches(action: ActionProposal, gold: dict[str, Any]) -> bool:
    wanted = gold.get("due")
    return (action.due.isoformat() if action.due else None) == wanted


ACTION_LEVELS: dict[str, Callable[[ActionProposal, dict[str, Any]], bool]] = {
    "actions (text)": lambda a, g: True,
    "actions (text+owner)": owners_match,
    "actions (text+due)": due_matches,
    "actions (text+owner+due)": lambda a, g: owners_match(a, g) and due_matches(a, g),
}


def _count(proposed: Sequence[Any], gold: Sequence[dict[str, Any]],
           also: Callable[[Any, dict[str, Any]], bool] = lambda p, g: True) -> Counts:
    matched = max_matching(len(proposed), len(gold), lambda p, g: _cites(
        proposed[p].source.sentence, gold[g]) and also(proposed[p], gold[g]))
    return Counts(matched, len(proposed), len(gold))


def _set_counts(found: Iterable[Any], gold: Iterable[str]) -> Counts:
    found_set, gold_set = {str(f) for f in found}, set(gold)
    return Counts(len(found_set & gold_set), len(found_set), len(gold_set))


def score_note(note: LabelledNote, analysis: NotesAnalysis) -> dict[str, Counts]:
    gold = note.gold
    scores = {name: _count(analysis.actions, gold["actions"], check)
              for name, check in ACTION_LEVELS.items()}
    scores["decisions"] = _count(analysis.decisions, gold["decisions"])
    scores["risks"] = _count(analysis.risks, gold["risks"])
    scores["impediments"] = _count(analysis.impediments, gold["impediments"])
    scores["team mentions"] = _set_counts(analysis.team_ids, gold.get("teams", []))
    scores["feature mentions"] = _set_counts(analysis.feature_ids, gold.get("features", []))
    return scores


@dataclass
class LabelledReport:
    split: str
    notes: int = 0
    totals: dict[str, Counts] = field(default_factory=dict)

    def add(self, scores: dict[str, Counts]) -> None:
        self.notes += 1
        for name, counts in scores.items():
            self.totals[name] = self.totals.get(name, Counts()) + counts


def evaluate_labelled(folder: Path | None = None,
                      splits: Iterable[str] = SPLITS) -> dict[str, LabelledReport]:
    folder = folder or default_fixtures_dir()
    roster = load_roster(folder)
    reports: dict[str, LabelledReport] = {}
    for note in load_labelled(folder, splits):
        report = reports.setdefault(note.split, LabelledReport(note.split))
        report.add(score_note(note, analyse_labelled(note, roster)))
    return reports


# ---------------------------------------------------------------- the whole evaluation


@dataclass
class NotesEvaluation:
    """Every figure of docs/evaluation.md's meeting-notes section, ready for JSON."""

    labelled: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    summaries: dict[str, dict[str, Any]] = field(default_factory=dict)
    actions: dict[str, Any] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


def _counts_row(counts: Counts) -> dict[str, Any]:
    return {"precision": counts.precision, "recall": counts.recall, "f1": counts.f1,
            "matched": counts.matched, "proposed": counts.proposed, "gold": counts.gold,
            "precision_ci": counts.precision_ci, "recall_ci": counts.recall_ci}


def run_notes_evaluation(*, labelled: bool = True, elitr: bool = True, qmsum: bool = True,
                         data_dir: Path | None = None, fixtures_dir: Path | None = None,
                         embedder: Embedder | None = None) -> NotesEvaluation:
    from trainmaster.evaluation import notes_corpora as corpora

    result = NotesEvaluation()
    if labelled:
        for split, report in evaluate_labelled(fixtures_dir).items():
            result.labelled[split] = {name: _counts_row(c) for name, c in report.totals.items()}
            result.labelled[split]["notes"] = {"count": report.notes}
    data = data_dir or corpora.default_data_dir()
    meetings = data / "meetings"
    if elitr and (meetings / "elitr").is_dir():
        elitr_meetings = corpora.load_elitr(data)
        result.summaries["elitr"] = _summary_row(
            corpora.evaluate_summaries(elitr_meetings, "elitr", embedder=embedder))
        result.actions = _actions_row(corpora.evaluate_actions(elitr_meetings))
    elif elitr:
        result.skipped.append(f"ELITR: no folder {meetings / 'elitr'}")
    if qmsum and (meetings / "qmsum_product").is_dir():
        result.summaries["qmsum"] = _summary_row(corpora.evaluate_summaries(
            corpora.load_qmsum(data), "qmsum", clean=lambda text: text, embedder=embedder))
    elif qmsum:
        result.skipped.append(f"QMSum: no folder {meetings / 'qmsum_product'}")
    return result


def _summary_row(report: Any) -> dict[str, Any]:
    return {"meetings": report.meetings, "mean": report.table("mean"), "max": report.table("max"),
            "wins_over_lead": report.wins_over("LEAD")}


def _actions_row(report: Any) -> dict[str, Any]:
    rows: dict[str, dict[str, dict[str, float]]] = {}
    for (system, threshold), (matched, proposed, gold) in report.counts.items():
        precision, recall = report.rates((system, threshold))
        rows.setdefault(system, {})[str(threshold)] = {
            "precision": precision, "recall": recall, "matched": matched,
            "proposed": proposed, "gold": gold}
    owners = {str(t): (agree / total if total else 0.0, total)
              for t, (agree, total) in report.owner_agrees.items()}
    return {"pairs": report.pairs, "systems": rows, "owner_agreement": owners}
