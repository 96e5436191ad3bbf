"""`trainmaster evaluate notes` — the meeting-notes extractor measured.

On the labelled set (dev and held-out halves), on ELITR transcripts against their human
minutes, and on QMSum's AMI meetings against their reference summaries.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from trainmaster.cli.output import console, errors, print_json, show
from trainmaster.evaluation.notes_eval import NotesEvaluation, run_notes_evaluation

app = typer.Typer(help="Meeting notes: labelled set, ELITR minutes, QMSum summaries.",
                  invoke_without_command=True)

_LABELLED_ROWS = ("actions (text)", "actions (text+owner)", "actions (text+due)",
                  "actions (text+owner+due)", "decisions", "risks", "impediments",
                  "team mentions", "feature mentions")


@app.callback()
def notes(
    labelled: Annotated[bool, typer.Option("--labelled/--no-labelled",
                                           help="Score the labelled notes.")] = True,
    elitr: Annotated[bool, typer.Option("--elitr/--no-elitr",
                                        help="ELITR transcripts vs human minutes.")] = True,
    qmsum: Annotated[bool, typer.Option("--qmsum/--no-qmsum",
                                        help="QMSum AMI meetings vs reference summaries.")] = True,
    data: Annotated[Path | None, typer.Option(help="Evaluation data folder (default: "
                                              "TRAINMASTER_EVAL_DATA or ../shared/data)")] = None,
    fixtures: Annotated[Path | None, typer.Option(help="Labelled notes folder (default: "
                                                  "tests/fixtures/notes)")] = None,
    embeddings: Annotated[bool, typer.Option("--embeddings/--no-embeddings",
                                             help="Also rank summaries with MiniLM.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Precision and recall on the labelled notes; ROUGE and action soft-matches on meetings."""
    embedder = _embedder() if embeddings else None
    result = run_notes_evaluation(labelled=labelled, elitr=elitr, qmsum=qmsum, data_dir=data,
                                  fixtures_dir=fixtures, embedder=embedder)
    if as_json:
        return print_json(result)
    _render(result)


def _embedder() -> Any:
    from trainmaster.intelligence.embedding import load_embedder

    return load_embedder().embed


def _render(result: NotesEvaluation) -> None:
    for split, rows in result.labelled.items():
        title = "held-out half" if split == "heldout" else f"{split} half"
        show(f"Labelled notes, {title} ({int(rows['notes']['count'])} notes)",
             ["items", "precision", "recall (95% CI)", "F1", "matched / proposed / gold"],
             [(name, f"{r['precision']:.2f}",
               f"{r['recall']:.2f} ({r['recall_ci'][0]:.2f}–{r['recall_ci'][1]:.2f})",
               f"{r['f1']:.2f}", f"{int(r['matched'])} / {int(r['proposed'])} / {int(r['gold'])}")
              for name in _LABELLED_ROWS if (r := rows.get(name))])
    for corpus, summary in result.summaries.items():
        for how in ("mean", "max"):
            show(f"{corpus}: ROUGE F1 over {summary['meetings']} meetings "
                 f"({how} over each meeting's references)",
                 ["system", "ROUGE-1", "ROUGE-2", "ROUGE-L"],
                 [(system, f"{m['rouge1']:.3f}", f"{m['rouge2']:.3f}", f"{m['rougeL']:.3f}")
                  for system, m in summary[how].items()])
        wins = ", ".join(f"{system} {count}/{summary['meetings']}"
                         for system, count in summary["wins_over_lead"].items())
        console.print(f"{corpus}: meetings where ROUGE-1 beats LEAD: {wins}")
    if result.actions:
        _render_actions(result.actions)
    for note in result.skipped:
        errors.print(f"skipped {note}")


def _render_actions(actions: dict[str, Any]) -> None:
    rows = []
    for system, by_threshold in actions["systems"].items():
        for threshold, r in by_threshold.items():
            rows.append((system, threshold, f"{r['precision']:.2f}", f"{r['recall']:.2f}",
                         f"{r['matched']} / {r['proposed']} / {r['gold']}"))
    show(f"ELITR action items vs minutes' action lines ({actions['pairs']} minutes with actions)",
         ["system", "similarity ≥", "precision", "recall", "matched / proposed / gold"], rows)
    for threshold, (share, total) in actions["owner_agreement"].items():
        console.print(f"similarity ≥ {threshold}: the owner found is one the minutes line names "
                      f"in {share:.0%} of {total} matches whose line names someone")
