"""`trainmaster evaluate deps` — dependency suggestions measured on real Jira links."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from platformdirs import user_cache_dir
from rich.progress import Progress

from trainmaster.cli.output import console, errors, print_json, show
from trainmaster.evaluation.dependency_eval import (
    DependencyEvaluation,
    default_data_dir,
    evaluate_dependencies,
    format_rows,
)
from trainmaster.intelligence.embedding import EmbeddingCache, load_embedder

app = typer.Typer(help="Dependency suggestions on real Jira links (recall@k, MRR).",
                  invoke_without_command=True)

DEFAULT_CACHE = Path(user_cache_dir("trainmaster")) / "dependency-embeddings.npz"


@app.callback()
def deps(
    data: Annotated[Path | None, typer.Option(help="Evaluation data folder "
                                              "(default: TRAINMASTER_EVAL_DATA or ../shared/data)")
                    ] = None,
    project: Annotated[str, typer.Option(help="Project with an issue_links file.")] = "springxd",
    cache: Annotated[Path, typer.Option(help="Embedding cache (.npz), kept between runs.")
                     ] = DEFAULT_CACHE,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Rank every other issue for each issue with a dependency link; compare with TF-IDF."""
    store = EmbeddingCache.load(cache)
    embedder = load_embedder()
    with Progress(console=errors, transient=True) as bar:
        task = bar.add_task("embedding", total=None)
        result = evaluate_dependencies(data or default_data_dir(), embedder, store, project,
                                       progress=lambda _, done, total: bar.update(
                                           task, completed=done, total=total))
    cache.parent.mkdir(parents=True, exist_ok=True)
    store.save(cache)
    if as_json:
        return print_json(result)
    _render(result, embedder.model_id)


def _render(result: DependencyEvaluation, model_id: str) -> None:
    show(f"{result.project}: {result.queries} query issues, {result.items} issues, "
         f"{result.links} dependency links · embedder {model_id}",
         ["method", "recall@5", "recall@20", "MRR"], format_rows(result))
    console.print(f"direction stated in the text for {result.direction_known:.0%} of links; "
                  f"right there {result.direction_accuracy_known:.0%}; "
                  f"right overall (with the creation-order guess) "
                  f"{result.direction_accuracy_all:.0%}")
