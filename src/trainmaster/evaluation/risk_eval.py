"""Predictive risk measured on real Jira data, split by time and by board or repository.

Sprints (`sprints/<repo>_iteration.csv`): does a sprint miss (delivered < committed,
``vel_diff < 0``), predicted from what is known at its start plus the board's own past
sprints (in sprint-id order, the only time order the files give). Protocols: leave one
repository out, and held-out boards (5 folds of boards). On an unseen board the global
model's probabilities are re-calibrated from that board's own earlier sprints.

Issue delays (`issue_delays/<repo>_{creation,discussion,due}.csv`): is an issue delivered
late (``delaydays > 0``), at three prediction times. Protocols: within each repository,
first 80 % by opening date train and last 20 % test; and leave one repository out, with and
without re-calibration of each tenth of the unseen repository (in time) on its 1,000 issues
just before (scores cover the nine tenths after the first).

Columns measured after the prediction time are excluded: see `SPRINT_EXCLUDED` and
`DELAY_EXCLUDED` for each column and the reason.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.model_selection import GroupKFold

from trainmaster.domain.errors import NotFound
from trainmaster.evaluation.triage_eval import default_data_dir
from trainmaster.intelligence.calibration import (
    ReliabilityBin,
    fit_platt,
    logit,
    reliability_table,
    score_summary,
)
from trainmaster.intelligence.risk import RiskModel, RiskPrediction, train_risk_model

__all__ = ["default_data_dir", "delay_repositories", "evaluate_delays", "evaluate_sprints",
           "load_delays", "load_sprints", "sprint_repositories"]

DELAY_TIMES = ("creation", "discussion", "due")
_SPRINT_NUMERIC = ("vel_diff", "planday", "no_issue_starttime", "vel_starttime", "no_issue_added",
                   "vel_added", "no_issue_removed", "vel_removed", "no_issuetodo", "vel_todo",
                   "no_issueinprogress", "vel_inprogress", "no_issuedone", "vel_done", "no_admin",
                   "no_teammember")
SPRINT_EXCLUDED: dict[str, str] = {
    "vel_diff": "the outcome (delivered - committed)",
    "no_issue_added, vel_added": "scope added during the sprint",
    "no_issue_removed, vel_removed": "scope removed during the sprint",
    "no_issuetodo .. vel_done": "states at the sprint's end (they sum to start + added - removed)",
    "no_teammember": "people who worked on the sprint's issues, counted over the sprint",
    "<repo>_issue.csv": "per-sprint issue rows include issues added later; comment and change "
                        "counts grow during the sprint",
}
DELAY_NUMERIC = ("RemainingDay", "discussion", "repetition", "perofdelay", "workload",
                 "no_comment", "no_priority_change", "no_fixversion_change", "no_des_change",
                 "ProgressTime")
DELAY_EXCLUDED: dict[str, str] = {
    "delaydays": "the outcome",
    "no_fixversion, no_issuelink, no_blocking, no_blockedby, no_affectversion":
        "identical at all three prediction times: the issue's final state, not its state then",
    "reporterrep": "identical at all three times: computed over the whole history",
    "topic_10 .. topic_400": "topic ids of a model fitted on all texts; not comparable across "
                             "repositories",
    "openeddate": "used only to order issues in time",
}
_TYPES = ("bug", "improvement", "task", "newfeature", "subtask", "story", "epic")
_PRIORITIES = ("blocker", "critical", "major", "minor", "trivial")
_MIN_BOARD_HISTORY = 3
_RECALIBRATED = "model + recalibration on the repository's recent past"


@dataclass(frozen=True)
class ScoreRow:
    method: str
    n: int
    positive_rate: float
    auc: float
    brier: float
    ece: float


def _rate(y: np.ndarray, mask: np.ndarray) -> float:
    """The outcome rate where ``mask`` holds; the overall rate when it never does."""
    return float(y[mask].mean()) if mask.any() else float(y.mean())


def _row(method: str, y: np.ndarray, p: np.ndarray) -> ScoreRow:
    s = score_summary(y, p)
    return ScoreRow(method, int(s["n"]), s["positive_rate"], s["auc"], s["brier"], s["ece"])


# ---------------------------------------------------------------- sprints

@dataclass(frozen=True)
class SprintData:
    repo: np.ndarray
    board: np.ndarray
    rows: list[dict[str, float]]
    missed: np.ndarray


def _iteration_rows(path: Path) -> list[tuple[int, int, dict[str, float]]]:
    out = []
    with path.open(newline="", encoding="latin-1") as fh:
        reader = csv.reader(fh)
        next(reader)
        for r in reader:  # the sprint name may hold unquoted commas: read from both ends
            out.append((int(r[0]), int(r[1]),
                        dict(zip(_SPRINT_NUMERIC, map(float, r[-16:]), strict=True))))
    return out


def _sprint_features(sprint: dict[str, float], past: list[dict[str, float]]) -> dict[str, float]:
    committed = sprint["vel_starttime"]
    delivered = [max(0.0, p["vel_diff"] + p["vel_starttime"]) for p in past]
    capacity = float(np.median(delivered[-5:])) if delivered else float("nan")
    recent = [p for p in past if p["vel_starttime"] > 0][-5:]
    predictability = (sum(max(0.0, p["vel_diff"] + p["vel_starttime"]) for p in recent)
                      / sum(p["vel_starttime"] for p in recent)) if recent else float("nan")
    misses = sum(p["vel_diff"] < 0 for p in past)
    return {
        "committed_points": committed,
        "committed_issues": sprint["no_issue_starttime"],
        "something_committed": float(committed > 0 or sprint["no_issue_starttime"] > 0),
        "planned_days": sprint["planday"],
        "load_vs_capacity": committed / max(1.0, capacity) if delivered else float("nan"),
        "past_predictability": min(2.0, predictability),
        "past_miss_rate": (misses + 1.0) / (len(past) + 2.0),
        "past_sprints": float(len(past)),
    }


def sprint_repositories(data_dir: Path) -> tuple[str, ...]:
    """Repositories with a ``sprints/<repo>_iteration.csv`` file."""
    found = tuple(sorted(p.name.removesuffix("_iteration.csv")
                         for p in (data_dir / "sprints").glob("*_iteration.csv")))
    if len(found) < 2:
        raise NotFound(f"{data_dir / 'sprints'} needs iteration files of two or more "
                       "repositories (set TRAINMASTER_EVAL_DATA)", field="data")
    return found


def load_sprints(data_dir: Path) -> SprintData:
    repos, boards, rows, missed = [], [], [], []
    for repo in sprint_repositories(data_dir):
        path = data_dir / "sprints" / f"{repo}_iteration.csv"
        by_board: dict[int, list[tuple[int, dict[str, float]]]] = {}
        for board, sprint, values in _iteration_rows(path):
            by_board.setdefault(board, []).append((sprint, values))
        for board, sprints in sorted(by_board.items()):
            past: list[dict[str, float]] = []
            for _, values in sorted(sprints, key=lambda s: s[0]):
                repos.append(repo)
                boards.append(f"{repo}/{board}")
                rows.append(_sprint_features(values, past))
                missed.append(float(values["vel_diff"] < 0))
                past.append(values)
    return SprintData(np.array(repos), np.array(boards), rows, np.array(missed))


def _online_recalibration(model: RiskModel, rows: list[dict[str, float]], y: np.ndarray,
                          groups: np.ndarray, prior_strength: float) -> np.ndarray:
    """Each row's probability re-mapped on its group's earlier rows (rows are in time order)."""
    p = model.predict_proba(rows)
    out = p.copy()
    for g in np.unique(groups):
        idx = np.flatnonzero(groups == g)
        for t in range(_MIN_BOARD_HISTORY, idx.size):
            past = idx[:t]
            mapping = fit_platt(logit(p[past]), y[past], prior_strength=prior_strength,
                                min_slope=0.0)
            out[idx[t]] = mapping.apply(logit(p[idx[t : t + 1]]))[0]
    return out


def _running_rate(y: np.ndarray, groups: np.ndarray, prior: float) -> np.ndarray:
    """The group's own past miss rate, starting from ``prior`` (two pseudo-sprints)."""
    out = np.empty(y.size)
    for g in np.unique(groups):
        idx = np.flatnonzero(groups == g)
        past = np.r_[0.0, np.cumsum(y[idx])[:-1]]
        out[idx] = (past + 2.0 * prior) / (np.arange(idx.size) + 2.0)
    return out


def _sprint_methods(data: SprintData, train: np.ndarray, test: np.ndarray, prior_strength: float
                    ) -> dict[str, np.ndarray]:
    rows = data.rows
    model = train_risk_model([rows[i] for i in train], data.missed[train])
    y_tr, y_te = data.missed[train], data.missed[test]
    flag_tr = np.array([rows[i]["something_committed"] for i in train])
    flag_te = np.array([rows[i]["something_committed"] for i in test])
    rule = np.where(flag_te > 0, _rate(y_tr, flag_tr > 0), _rate(y_tr, flag_tr == 0))
    return {
        "base rate (training)": np.full(test.size, y_tr.mean()),
        "board's own past rate": _running_rate(y_te, data.board[test], y_tr.mean()),
        "one rule: something committed": rule,
        "model": model.predict_proba([rows[i] for i in test]),
        "model + per-board recalibration": _online_recalibration(
            model, [rows[i] for i in test], y_te, data.board[test], prior_strength),
    }


@dataclass(frozen=True)
class SprintRiskEvaluation:
    sprints: int
    boards: int
    by_repository: dict[str, list[ScoreRow]]
    leave_one_repository_out: list[ScoreRow]
    held_out_boards: list[ScoreRow]
    reliability: list[ReliabilityBin]
    example: RiskPrediction
    seconds: float


def _pooled(parts: list[tuple[np.ndarray, dict[str, np.ndarray]]]) -> list[ScoreRow]:
    y = np.concatenate([yy for yy, _ in parts])
    return [_row(m, y, np.concatenate([d[m] for _, d in parts])) for m in parts[0][1]]


def evaluate_sprints(data_dir: Path, *, prior_strength: float = 4.0,
                     board_folds: int = 5) -> SprintRiskEvaluation:
    start = time.perf_counter()
    data = load_sprints(data_dir)
    by_repo, parts = {}, []
    for repo in sorted(set(data.repo)):
        train, test = np.flatnonzero(data.repo != repo), np.flatnonzero(data.repo == repo)
        methods = _sprint_methods(data, train, test, prior_strength)
        by_repo[repo] = [_row(m, data.missed[test], p) for m, p in methods.items()]
        parts.append((data.missed[test], methods))
    board_parts = [(data.missed[test], _sprint_methods(data, train, test, prior_strength))
                   for train, test in GroupKFold(min(board_folds, len(set(data.board)))).split(
                       data.rows, groups=data.board)]
    y_all = np.concatenate([y for y, _ in parts])
    p_all = np.concatenate([d["model + per-board recalibration"] for _, d in parts])
    model = train_risk_model(data.rows, data.missed)
    risky = int(np.argmax(model.predict_proba(data.rows)))
    return SprintRiskEvaluation(
        sprints=len(data.rows), boards=len(set(data.board)), by_repository=by_repo,
        leave_one_repository_out=_pooled(parts), held_out_boards=_pooled(board_parts),
        reliability=reliability_table(y_all, p_all), example=model.explain([data.rows[risky]])[0],
        seconds=time.perf_counter() - start)


# ---------------------------------------------------------------- issue delays

def _norm(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _delay_row(r: dict[str, str]) -> dict[str, float]:
    row = {name: max(0.0, float(r[name])) for name in DELAY_NUMERIC}
    kind, priority = _norm(r["type"]), _norm(r["priority"])
    row.update({f"type_{t}": float(kind == t) for t in _TYPES})
    row.update({f"priority_{p}": float(priority == p) for p in _PRIORITIES})
    return row


def load_delays(data_dir: Path, repo: str, when: str) -> tuple[list[dict[str, float]], np.ndarray]:
    """Rows in opening-date order and the 0/1 late outcome."""
    path = data_dir / "issue_delays" / f"{repo}_{when}.csv"
    if not path.is_file():
        raise NotFound(f"{path} does not exist (set TRAINMASTER_EVAL_DATA)", field="data")
    with path.open(newline="", encoding="latin-1") as fh:
        records = sorted(csv.DictReader(fh), key=lambda r: r["openeddate"])
    return [_delay_row(r) for r in records], np.array([float(float(r["delaydays"]) > 0)
                                                       for r in records])


@dataclass(frozen=True)
class DelayTimeEvaluation:
    when: str
    within_repository: dict[str, list[ScoreRow]]
    leave_one_repository_out: dict[str, list[ScoreRow]]
    mean_auc_within: float
    mean_auc_loro: float
    reliability_loro: list[ReliabilityBin]


@dataclass(frozen=True)
class DelayRiskEvaluation:
    times: list[DelayTimeEvaluation]
    example: RiskPrediction
    seconds: float


def _delay_methods(train_rows: list[dict[str, float]], y_tr: np.ndarray,
                   test_rows: list[dict[str, float]], folds: int
                   ) -> tuple[RiskModel, dict[str, np.ndarray]]:
    model = train_risk_model(train_rows, y_tr, folds=folds)
    remaining_tr = np.array([r["RemainingDay"] for r in train_rows])
    cut = float(np.median(remaining_tr))
    short = np.array([r["RemainingDay"] <= cut for r in test_rows])
    rule = np.where(short, _rate(y_tr, remaining_tr <= cut), _rate(y_tr, remaining_tr > cut))
    return model, {"base rate (training)": np.full(len(test_rows), y_tr.mean()),
                   "one rule: little time left": rule,
                   "model": model.predict_proba(test_rows)}


def _within(rows: list[dict[str, float]], y: np.ndarray, folds: int) -> list[ScoreRow]:
    cut = int(len(rows) * 0.8)
    _, methods = _delay_methods(rows[:cut], y[:cut], rows[cut:], folds)
    return [_row(m, y[cut:], p) for m, p in methods.items()]


def _blockwise_recalibration(p: np.ndarray, y: np.ndarray, blocks: int, window: int,
                             prior_strength: float) -> np.ndarray:
    """Block b of the time-ordered rows re-mapped on the ``window`` rows before it."""
    edges = np.linspace(0, p.size, blocks + 1).astype(int)
    out = p.copy()
    for a, b in zip(edges[1:-1], edges[2:], strict=True):
        past = slice(max(0, a - window), a)
        mapping = fit_platt(logit(p[past]), y[past], prior_strength=prior_strength,
                            min_slope=0.0)
        out[a:b] = mapping.apply(logit(p[a:b]))
    return out


def _loro(data: dict[str, tuple[list[dict[str, float]], np.ndarray]], repo: str, folds: int,
          prior_strength: float, max_train_rows: int
          ) -> tuple[list[ScoreRow], np.ndarray, np.ndarray]:
    """Scores on the unseen repository after its first tenth (kept as the first history)."""
    rows, y = data[repo]
    others = [r for r in data if r != repo]
    train_rows = [x for o in others for x in data[o][0]]
    train_y = np.concatenate([data[o][1] for o in others])
    if len(train_rows) > max_train_rows:  # a random subset keeps the run short
        keep = np.sort(np.random.default_rng(0).choice(len(train_rows), max_train_rows,
                                                       replace=False))
        train_rows, train_y = [train_rows[i] for i in keep], train_y[keep]
    _, methods = _delay_methods(train_rows, train_y, rows, folds)
    methods[_RECALIBRATED] = _blockwise_recalibration(methods["model"], y, 10, 1000,
                                                      prior_strength)
    first = len(rows) // 10
    later = {m: p[first:] for m, p in methods.items()}
    return ([_row(m, y[first:], p) for m, p in later.items()], y[first:],
            later[_RECALIBRATED])


def _model_auc(rows: list[ScoreRow]) -> float:
    return next(r.auc for r in rows if r.method == "model")


def _time_evaluation(data_dir: Path, when: str, folds: int, prior_strength: float,
                     repos: Sequence[str], max_train_rows: int) -> DelayTimeEvaluation:
    data = {repo: load_delays(data_dir, repo, when) for repo in repos}
    within = {repo: _within(*data[repo], folds) for repo in repos}
    loro, ys, ps = {}, [], []
    for repo in repos:
        loro[repo], y, p = _loro(data, repo, folds, prior_strength, max_train_rows)
        ys.append(y)
        ps.append(p)
    return DelayTimeEvaluation(
        when=when, within_repository=within, leave_one_repository_out=loro,
        mean_auc_within=float(np.mean([_model_auc(v) for v in within.values()])),
        mean_auc_loro=float(np.mean([_model_auc(v) for v in loro.values()])),
        reliability_loro=reliability_table(np.concatenate(ys), np.concatenate(ps)))


def delay_repositories(data_dir: Path, times: Sequence[str] = DELAY_TIMES) -> tuple[str, ...]:
    """Repositories with an ``issue_delays/<repo>_<time>.csv`` file for every time."""
    folder = data_dir / "issue_delays"
    found = tuple(sorted(p.name.removesuffix(f"_{times[0]}.csv")
                         for p in folder.glob(f"*_{times[0]}.csv")
                         if all((folder / p.name.replace(f"_{times[0]}.csv", f"_{t}.csv")
                                 ).is_file() for t in times)))
    if len(found) < 2:
        raise NotFound(f"{folder} needs delay files of two or more repositories "
                       "(set TRAINMASTER_EVAL_DATA)", field="data")
    return found


def evaluate_delays(data_dir: Path, *, times: Sequence[str] = DELAY_TIMES, folds: int = 3,
                    prior_strength: float = 4.0, repos: Sequence[str] | None = None,
                    max_train_rows: int = 20_000) -> DelayRiskEvaluation:
    start = time.perf_counter()
    repos = repos or delay_repositories(data_dir, times)
    results = [_time_evaluation(data_dir, when, folds, prior_strength, repos, max_train_rows)
               for when in times]
    rows, y = load_delays(data_dir, repos[0], times[-1])
    model = train_risk_model(rows, y, folds=folds)
    risky = int(np.argmax(model.predict_proba(rows)))
    return DelayRiskEvaluation(results, model.explain([rows[risky]])[0],
                               time.perf_counter() - start)
