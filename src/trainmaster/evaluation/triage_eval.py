"""Backlog triage measured on real Jira projects (`backlog_items/*.csv`, 16 of them here).

Routing: predict an issue's project from its title and description (a stand-in for routing
an item to one of several teams). Issue keys are removed from the text first (their prefix names
the project); with ``mask_names`` the projects' product names are removed as well. One
stratified 80/20 split; accuracy, macro-F1, confusion inside related project families, and
the calibration of the top-label probability.

Estimation: story points per project with the nearest-finished-items estimator, against the
project's median and mean of the training part. Shuffled 5-fold cross-validation and a
time-ordered split (first 80 % by issue number train, last 20 % test).
"""

from __future__ import annotations

import csv
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score
from sklearn.model_selection import KFold, train_test_split

from trainmaster.domain.errors import NotFound
from trainmaster.evaluation.data import default_data_dir  # noqa: F401 - re-exported
from trainmaster.intelligence.calibration import (
    ReliabilityBin,
    expected_calibration_error,
    reliability_table,
)
from trainmaster.intelligence.triage_estimate import ItemIndex, PointsEstimator
from trainmaster.intelligence.triage_text import TextClassifier

FAMILIES: dict[str, tuple[str, ...]] = {
    "Appcelerator/Aptana/Titanium": ("appceleratorstudio", "aptanastudio", "titanium"),
    "Mule/MuleStudio": ("mule", "mulestudio"),
    "Talend ESB/DQ": ("talenddataquality", "talendesb"),
}
#: Product names that appear in the texts and name a project outright.
PROJECT_NAMES = re.compile(
    r"\b(appcelerator|aptana|titanium|tistud|timob|apstud|studio|bamboo|clover|duracloud|"
    r"jira|greenhopper|mesos|moodle|mule|mulesoft|spring|springxd|xd|talend|esb|tdq|tesb|"
    r"usergrid|datamanagement)\b", re.IGNORECASE)




@dataclass(frozen=True)
class BacklogRecord:
    project: str
    key: str
    title: str
    description: str
    points: float


def issue_number(key: str) -> int:
    tail = key.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def load_backlog(data_dir: Path, projects: Sequence[str] | None = None) -> list[BacklogRecord]:
    folder = data_dir / "backlog_items"
    files = sorted(folder.glob("*.csv"))
    if not files:
        raise NotFound(f"{folder} holds no CSV files (set TRAINMASTER_EVAL_DATA)", field="data")
    csv.field_size_limit(sys.maxsize)
    out = []
    for path in files:
        if projects is not None and path.stem not in projects:
            continue
        with path.open(newline="", encoding="utf-8", errors="replace") as fh:
            out += [BacklogRecord(path.stem, r["issuekey"], r["title"] or "",
                                  r["description"] or "", float(r["storypoint"]))
                    for r in csv.DictReader(fh)]
    return out


@dataclass(frozen=True)
class FamilyConfusion:
    family: str
    test_items: int
    within_family_errors: float   # share of the family's test items sent to a sibling
    outside_errors: float         # share sent to a project outside the family


@dataclass(frozen=True)
class RoutingEvaluation:
    items: int
    train: int
    test: int
    names_masked: bool
    accuracy: float
    macro_f1: float
    majority_accuracy: float
    plain_svm_macro_f1: float
    f1_by_project: dict[str, float]
    families: list[FamilyConfusion]
    top_label_brier: float
    top_label_ece: float
    reliability: list[ReliabilityBin]
    seconds: float


def _mask(text: str) -> str:
    return PROJECT_NAMES.sub(" ", text)


def _families(y: np.ndarray, pred: np.ndarray) -> list[FamilyConfusion]:
    out = []
    for name, members in FAMILIES.items():
        mask = np.isin(y, members)
        n = int(mask.sum())
        wrong = pred[mask] != y[mask]
        inside = wrong & np.isin(pred[mask], members)
        out.append(FamilyConfusion(name, n, float(inside.mean()) if n else float("nan"),
                                   float((wrong & ~inside).mean()) if n else float("nan")))
    return out


def evaluate_routing(records: Sequence[BacklogRecord], *, test_share: float = 0.2,
                     seed: int = 0, mask_names: bool = False) -> RoutingEvaluation:
    start = time.perf_counter()
    clean = _mask if mask_names else (lambda t: t)
    titles = [clean(r.title) for r in records]
    bodies = [clean(r.description) for r in records]
    y = np.array([r.project for r in records])
    train, test = train_test_split(np.arange(y.size), test_size=test_share, random_state=seed,
                                   stratify=y)
    clf = TextClassifier().fit([titles[i] for i in train], [bodies[i] for i in train], y[train])
    proba = clf.predict_proba([titles[i] for i in test], [bodies[i] for i in test])
    pred = clf.classes_[proba.argmax(axis=1)]
    plain = TextClassifier(char_ngrams=False, calibrate=False)
    plain.fit([titles[i] for i in train], [bodies[i] for i in train], y[train])
    plain_pred = plain.predict([titles[i] for i in test], [bodies[i] for i in test])
    correct = (pred == y[test]).astype(float)
    top = proba.max(axis=1)
    table = reliability_table(correct, top)
    labels = sorted(set(y))
    majority = max(labels, key=lambda c: int((y[train] == c).sum()))
    return RoutingEvaluation(
        items=y.size, train=train.size, test=test.size, names_masked=mask_names,
        accuracy=float(correct.mean()),
        macro_f1=float(f1_score(y[test], pred, average="macro")),
        majority_accuracy=float((y[test] == majority).mean()),
        plain_svm_macro_f1=float(f1_score(y[test], plain_pred, average="macro")),
        f1_by_project=dict(zip(map(str, labels), (float(v) for v in f1_score(
            y[test], pred, labels=labels, average=None)), strict=True)),
        families=_families(y[test], pred),
        top_label_brier=float(np.mean((top - correct) ** 2)),
        top_label_ece=expected_calibration_error(table), reliability=table,
        seconds=time.perf_counter() - start)


@dataclass(frozen=True)
class ProjectEstimation:
    project: str
    items: int
    mae_model_cv: float
    mae_median_cv: float
    mae_mean_cv: float
    mae_model_time: float
    mae_median_time: float
    mae_mean_time: float
    range_coverage_cv: float      # share of test items whose points fell in [low, high]
    claimed_coverage_cv: float    # the confidence the model stated for its ranges


@dataclass(frozen=True)
class EstimationEvaluation:
    projects: list[ProjectEstimation]
    beats_median_cv: int
    beats_median_time: int
    macro_mae_model_cv: float
    macro_mae_median_cv: float
    macro_mae_model_time: float
    macro_mae_median_time: float
    seconds: float


def _split_scores(texts: list[str], points: np.ndarray, train: np.ndarray, test: np.ndarray,
                  k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Absolute errors of the model, the median and the mean; range hits; stated coverage."""
    index = ItemIndex([texts[i] for i in train], [str(i) for i in train])
    est = PointsEstimator(k=k).fit(index, points[train].tolist())
    pred = est.predict_points([texts[i] for i in test])
    truth = points[test]
    errors = np.vstack([np.abs(truth - pred[:, 0]),
                        np.abs(truth - np.median(points[train])),
                        np.abs(truth - points[train].mean())])
    hits = (pred[:, 1] <= truth) & (truth <= pred[:, 2])
    return errors, hits, truth, est.interval_coverage


def _project_estimation(name: str, rs: list[BacklogRecord], folds: int, seed: int, k: int
                        ) -> ProjectEstimation:
    rs = sorted(rs, key=lambda r: issue_number(r.key))
    texts = [f"{r.title}\n{r.description}" for r in rs]
    points = np.array([r.points for r in rs])
    cv_errors, cv_hits, claimed = [], [], []
    for train, test in KFold(folds, shuffle=True, random_state=seed).split(texts):
        errors, hits, _, stated = _split_scores(texts, points, train, test, k)
        cv_errors.append(errors)
        cv_hits.append(hits)
        claimed.append(stated)
    cv = np.hstack(cv_errors).mean(axis=1)
    cut = int(len(rs) * 0.8)
    timed, _, _, _ = _split_scores(texts, points, np.arange(cut), np.arange(cut, len(rs)), k)
    tm = timed.mean(axis=1)
    return ProjectEstimation(name, len(rs), float(cv[0]), float(cv[1]), float(cv[2]),
                             float(tm[0]), float(tm[1]), float(tm[2]),
                             float(np.hstack(cv_hits).mean()), float(np.mean(claimed)))


def evaluate_estimation(records: Sequence[BacklogRecord], *, folds: int = 5, seed: int = 0,
                        k: int = 12) -> EstimationEvaluation:
    start = time.perf_counter()
    by_project: dict[str, list[BacklogRecord]] = {}
    for r in records:
        by_project.setdefault(r.project, []).append(r)
    rows = [_project_estimation(p, rs, folds, seed, k) for p, rs in sorted(by_project.items())]
    return EstimationEvaluation(
        projects=rows,
        beats_median_cv=sum(r.mae_model_cv < r.mae_median_cv for r in rows),
        beats_median_time=sum(r.mae_model_time < r.mae_median_time for r in rows),
        macro_mae_model_cv=float(np.mean([r.mae_model_cv for r in rows])),
        macro_mae_median_cv=float(np.mean([r.mae_median_cv for r in rows])),
        macro_mae_model_time=float(np.mean([r.mae_model_time for r in rows])),
        macro_mae_median_time=float(np.mean([r.mae_median_time for r in rows])),
        seconds=time.perf_counter() - start)
