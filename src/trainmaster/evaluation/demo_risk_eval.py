"""The risk radar measured on the demo simulator's history: train on earlier PIs, test later.

For each seed the simulator generates one or more ARTs with `pis` finished PIs (plus the
current and the next one, unused here). Rows are built exactly as the radar builds them
(`services.risk_features`), as known after development iterations 1, 2 and 3 of each PI,
with the plan as it stood at PI Planning (the simulator's `planned_iterations`; items added
later sit in the iteration in which they were created), so nothing of the future leaks in.

Protocol: per ART, the first `train_pis` finished PIs train, the later finished ones test;
the test rows of all ARTs and seeds are pooled. Compared against the training base rate and
a one-rule heuristic per subject (the share of training rows that missed among those the
rule flags, else the rate of the others).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np

from trainmaster.domain.learning import RiskSubject
from trainmaster.domain.pi import Pi, PiState
from trainmaster.intelligence.calibration import (
    ReliabilityBin,
    brier_score,
    expected_calibration_error,
    reliability_table,
    roc_auc,
)
from trainmaster.intelligence.risk import train_risk_model
from trainmaster.services.risk_features import FEATURE_NAMES, History, training_rows
from trainmaster.simulation import TrainData, generate

DEFAULT_SEEDS = (1, 2, 3, 4, 5, 6)
DEFAULT_TODAY = date(2026, 11, 24)

Rule = Callable[[dict[str, float]], bool]

#: one-rule heuristics: "overloaded" for iterations; "behind the ideal burn" for the others
RULES: dict[RiskSubject, tuple[str, Rule]] = {
    RiskSubject.ITERATION: ("overloaded iteration (load > capacity)",
                            lambda r: r["load_vs_capacity"] > 1.0),
    RiskSubject.FEATURE: ("team behind the ideal burn by 10 points or more",
                          lambda r: r["completion_vs_ideal_burn"] <= -0.10),
    RiskSubject.OBJECTIVE: ("team behind the ideal burn by 10 points or more",
                            lambda r: r["completion_vs_ideal_burn"] <= -0.10),
}


@dataclass(frozen=True)
class MethodScore:
    method: str
    auc: float
    brier: float
    ece: float


@dataclass(frozen=True)
class SubjectEvaluation:
    subject: str
    train_rows: int
    test_rows: int
    test_miss_rate: float
    scores: tuple[MethodScore, ...]
    reliability: tuple[ReliabilityBin, ...]


@dataclass(frozen=True)
class DemoRiskEvaluation:
    seeds: tuple[int, ...]
    arts: int
    train_pis: int
    test_pis: int
    subjects: tuple[SubjectEvaluation, ...]


def history_of(data: TrainData, art_id: int) -> History:
    """The radar's view of one simulated ART, with the plan as it stood at PI Planning."""
    pis = [p for p in data.pis if p.art_id == art_id]
    pi_ids = {p.id for p in pis}
    iterations = [i for i in data.iterations if i.pi_id in pi_ids]
    teams = [t for t in data.teams if t.art_id == art_id]
    team_ids = {t.id for t in teams}
    items = [i for i in data.items if i.art_id == art_id]
    item_ids = {i.id for i in items}
    done_at: dict[int, datetime] = {}
    for c in data.status_changes:
        if c.to_status == "done" and c.item_id in item_ids and c.item_id not in done_at:
            done_at[c.item_id] = c.at
    members = [m for m in data.memberships if m.team_id in team_ids]
    people = {m.person_id for m in members}
    absences: dict[int, set[date]] = defaultdict(set)
    for a in data.absences:
        if a.person_id in people:
            absences[a.person_id].add(a.day)
    return History(
        pis=pis, iterations=iterations, teams=teams, items=items, done_at=done_at,
        dependencies=[d for d in data.dependencies if d.consumer_id in item_ids],
        objectives=[o for o in data.objectives if o.pi_id in pi_ids],
        impediments=[i for i in data.impediments if i.art_id == art_id],
        memberships=members, absences=dict(absences),
        holidays=[h.day for h in data.holidays if h.art_id == art_id],
        plan=_plan_at_planning(data, items, iterations))


def _plan_at_planning(data: TrainData, items: list, iterations: list) -> dict[int, int | None]:
    by_pi: dict[int, list] = defaultdict(list)
    for it in iterations:
        by_pi[it.pi_id].append(it)
    plan: dict[int, int | None] = {}
    for item in items:
        if item.id in data.planned_iterations:
            plan[item.id] = data.planned_iterations[item.id]
        elif item.pi_id is not None and item.created_at is not None:
            day = item.created_at.date()
            inside = [i for i in by_pi[item.pi_id] if i.contains(day)]
            plan[item.id] = inside[0].id if inside else item.iteration_id
    return plan


def _finished(data: TrainData, art_id: int) -> list[Pi]:
    return sorted((p for p in data.pis if p.art_id == art_id and p.state is PiState.CLOSED),
                  key=lambda p: p.start_date)


def _rule_probabilities(rule: Rule, train: Sequence[dict[str, float]], y_train: np.ndarray,
                        test: Sequence[dict[str, float]]) -> np.ndarray:
    flags = np.array([rule(r) for r in train])
    rate_on = (y_train[flags].sum() + 1) / (flags.sum() + 2)
    rate_off = (y_train[~flags].sum() + 1) / ((~flags).sum() + 2)
    return np.array([rate_on if rule(r) else rate_off for r in test])


def _score(method: str, y: np.ndarray, p: np.ndarray) -> MethodScore:
    return MethodScore(method, roc_auc(y, p), brier_score(y, p),
                       expected_calibration_error(reliability_table(y, p)))


def _evaluate_subject(subject: RiskSubject, train: tuple[list, list], test: tuple[list, list]
                      ) -> SubjectEvaluation:
    x_train, y_train = train[0], np.array(train[1], dtype=float)
    x_test, y_test = test[0], np.array(test[1], dtype=float)
    model = train_risk_model(x_train, y_train, feature_names=FEATURE_NAMES[subject])
    p_model = model.predict_proba(x_test)
    rule_name, rule = RULES[subject]
    scores = (
        _score("base rate (training)", y_test, np.full(y_test.size, y_train.mean())),
        _score(f"one rule: {rule_name}", y_test,
               _rule_probabilities(rule, x_train, y_train, x_test)),
        _score("model", y_test, p_model),
    )
    return SubjectEvaluation(subject.value, len(x_train), len(x_test), float(y_test.mean()),
                             scores, tuple(reliability_table(y_test, p_model, bins=5)))


def evaluate_demo_risk(seeds: Sequence[int] = DEFAULT_SEEDS, *, arts: int = 2, teams: int = 8,
                       pis: int = 5, train_pis: int = 3, today: date = DEFAULT_TODAY,
                       progress: Callable[[int, int], None] | None = None
                       ) -> DemoRiskEvaluation:
    """Generate each seed's train in memory, train on early PIs, score on later ones."""
    train: dict[RiskSubject, tuple[list, list]] = {s: ([], []) for s in RiskSubject}
    test: dict[RiskSubject, tuple[list, list]] = {s: ([], []) for s in RiskSubject}
    for n, seed in enumerate(seeds):
        data = generate(seed, arts=arts, teams=teams, pis=pis, today=today)
        for art in data.arts:
            history = history_of(data, art.id or 0)
            finished = _finished(data, art.id or 0)
            for target, chosen in ((train, finished[:train_pis]), (test, finished[train_pis:])):
                for subject, (rows, ys) in training_rows(history, chosen).items():
                    target[subject][0].extend(rows)
                    target[subject][1].extend(ys)
        if progress:
            progress(n + 1, len(seeds))
    subjects = tuple(_evaluate_subject(s, train[s], test[s]) for s in RiskSubject
                     if len(set(train[s][1])) == 2 and test[s][1])
    return DemoRiskEvaluation(tuple(seeds), arts, train_pis, pis - train_pis, subjects)
