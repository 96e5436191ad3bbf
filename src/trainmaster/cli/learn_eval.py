"""`trainmaster evaluate triage | sprints | delays` — learning features on real data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from trainmaster.cli.output import console, print_json, show
from trainmaster.domain.errors import Invalid
from trainmaster.evaluation.risk_eval import (
    DELAY_TIMES,
    DelayRiskEvaluation,
    ScoreRow,
    SprintRiskEvaluation,
    default_data_dir,
    evaluate_delays,
    evaluate_sprints,
)
from trainmaster.evaluation.triage_eval import (
    EstimationEvaluation,
    RoutingEvaluation,
    evaluate_estimation,
    evaluate_routing,
    load_backlog,
)
from trainmaster.intelligence.calibration import ReliabilityBin
from trainmaster.intelligence.risk import RiskPrediction

app = typer.Typer(help="Backlog triage and predictive risk measured on real Jira data.",
                  no_args_is_help=True)

DataOption = Annotated[Path | None, typer.Option(
    help="Evaluation data folder (default: TRAINMASTER_EVAL_DATA or ../shared/data)")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


@app.command("triage")
def triage(data: DataOption = None, mask_names: Annotated[bool, typer.Option(
               help="Also remove product names from the texts before routing.")] = False,
           part: Annotated[str, typer.Option(help="routing, estimation or both")] = "both",
           as_json: JsonOption = False) -> None:
    """Route issues to their project (a stand-in for teams) and estimate story points."""
    if part not in ("routing", "estimation", "both"):
        raise Invalid(f"part: {part!r} is not routing, estimation or both", field="part")
    records = load_backlog(data or default_data_dir())
    routing = evaluate_routing(records, mask_names=mask_names) if part != "estimation" else None
    estimation = evaluate_estimation(records) if part != "routing" else None
    if as_json:
        return print_json({"routing": routing, "estimation": estimation})
    if routing:
        _routing(routing)
    if estimation:
        _estimation(estimation)


@app.command("sprints")
def sprints(data: DataOption = None, as_json: JsonOption = False) -> None:
    """Predict at a sprint's start whether it will miss its commitment, on unseen boards."""
    result = evaluate_sprints(data or default_data_dir())
    if as_json:
        return print_json(result)
    _sprints(result)


@app.command("delays")
def delays(data: DataOption = None, when: Annotated[list[str] | None, typer.Option(
               help="Prediction time(s): creation, discussion, due (default: all)")] = None,
           as_json: JsonOption = False) -> None:
    """Predict whether an issue is delivered late, within and across repositories."""
    result = evaluate_delays(data or default_data_dir(), times=tuple(when or DELAY_TIMES))
    if as_json:
        return print_json(result)
    _delays(result)


def _score_rows(rows: list[ScoreRow]) -> list[list[str]]:
    return [[r.method, str(r.n), f"{r.positive_rate:.3f}", f"{r.auc:.3f}", f"{r.brier:.4f}",
             f"{r.ece:.3f}"] for r in rows]


_SCORE_COLUMNS = ["method", "n", "positive rate", "ROC AUC", "Brier", "ECE"]


def _reliability(title: str, table: list[ReliabilityBin]) -> None:
    show(title, ["bin", "n", "mean predicted", "observed"],
         [[f"{b.lower:.1f}-{b.upper:.1f}", str(b.count), f"{b.mean_predicted:.3f}",
           f"{b.observed_rate:.3f}"] for b in table])


def _example(title: str, prediction: RiskPrediction) -> None:
    factors = ", ".join(f"{f.name}={f.value:g} ({f.contribution:+.2f})"
                        for f in prediction.factors)
    console.print(f"{title}: p={prediction.probability:.2f} (base rate "
                  f"{prediction.base_rate:.2f}); top factors {factors}")


def _routing(r: RoutingEvaluation) -> None:
    masked = "keys and product names removed" if r.names_masked else "keys removed"
    show(f"Routing: {r.items} issues, {len(r.f1_by_project)} projects, stratified "
         f"{r.train}/{r.test} split "
         f"({masked}), {r.seconds:.0f} s", ["measure", "value"],
         [["accuracy", f"{r.accuracy:.4f}"], ["macro-F1", f"{r.macro_f1:.4f}"],
          ["macro-F1 word TF-IDF + linear SVM (no char n-grams)", f"{r.plain_svm_macro_f1:.4f}"],
          ["majority-class accuracy", f"{r.majority_accuracy:.4f}"],
          ["top-label Brier", f"{r.top_label_brier:.4f}"],
          ["top-label ECE", f"{r.top_label_ece:.4f}"]])
    show("Confusion inside related families", ["family", "test items", "sent to a sibling",
                                               "sent outside"],
         [[f.family, str(f.test_items), f"{f.within_family_errors:.3f}",
           f"{f.outside_errors:.3f}"] for f in r.families])
    show("F1 per project", ["project", "F1"],
         [[p, f"{v:.3f}"] for p, v in r.f1_by_project.items()])
    _reliability("Top-label reliability", r.reliability)


def _estimation(e: EstimationEvaluation) -> None:
    show(f"Story points MAE per project ({e.seconds:.0f} s)",
         ["project", "items", "model CV", "median CV", "mean CV", "model time", "median time",
          "mean time", "range hit CV", "range conf."],
         [[p.project, str(p.items), f"{p.mae_model_cv:.2f}", f"{p.mae_median_cv:.2f}",
           f"{p.mae_mean_cv:.2f}", f"{p.mae_model_time:.2f}", f"{p.mae_median_time:.2f}",
           f"{p.mae_mean_time:.2f}", f"{p.range_coverage_cv:.2f}",
           f"{p.claimed_coverage_cv:.2f}"] for p in e.projects])
    n = len(e.projects)
    console.print(f"beats the median on {e.beats_median_cv}/{n} (5-fold CV) and "
                  f"{e.beats_median_time}/{n} (time-ordered); macro MAE CV "
                  f"{e.macro_mae_model_cv:.3f} vs median {e.macro_mae_median_cv:.3f}; "
                  f"time-ordered {e.macro_mae_model_time:.3f} vs {e.macro_mae_median_time:.3f}")


def _sprints(r: SprintRiskEvaluation) -> None:
    console.print(f"{r.sprints} sprints on {r.boards} boards ({r.seconds:.0f} s)")
    for repo, rows in r.by_repository.items():
        show(f"Held-out repository: {repo}", _SCORE_COLUMNS, _score_rows(rows))
    show("All repositories, each unseen in training (pooled)", _SCORE_COLUMNS,
         _score_rows(r.leave_one_repository_out))
    show("Held-out boards (5 folds of boards, pooled)", _SCORE_COLUMNS,
         _score_rows(r.held_out_boards))
    _reliability("Reliability, unseen repositories, re-calibrated per board", r.reliability)
    _example("Riskiest sprint", r.example)


def _delays(r: DelayRiskEvaluation) -> None:
    for t in r.times:
        for repo, rows in t.within_repository.items():
            show(f"{t.when}: {repo}, time-ordered 80/20", _SCORE_COLUMNS, _score_rows(rows))
        for repo, rows in t.leave_one_repository_out.items():
            show(f"{t.when}: {repo} unseen", _SCORE_COLUMNS, _score_rows(rows))
        console.print(f"{t.when}: mean model AUC within repositories {t.mean_auc_within:.3f}, "
                      f"unseen repositories {t.mean_auc_loro:.3f}")
        _reliability(f"{t.when}: reliability on unseen repositories (re-calibrated)",
                     t.reliability_loro)
    _example("Riskiest issue", r.example)
    console.print(f"{r.seconds:.0f} s")
