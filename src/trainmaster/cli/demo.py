"""`trainmaster demo`, `serve`, `worker` and `db upgrade`."""

from __future__ import annotations

import threading
import webbrowser
from typing import Annotated

import typer
import uvicorn
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from trainmaster import bootstrap
from trainmaster.cli.context import cli_actor, tm
from trainmaster.cli.output import console, print_json, show
from trainmaster.services import demo as demo_service
from trainmaster.services import jobs

db_app = typer.Typer(help="Database schema.", no_args_is_help=True)

Host = Annotated[str, typer.Option(help="Address to listen on.")]
Port = Annotated[int, typer.Option(help="Port to listen on.")]


def demo(
    seed: Annotated[int, typer.Option(help="Same seed, same train.")] = 7,
    arts: Annotated[int, typer.Option(min=1, max=50, help="Number of ARTs.")] = 1,
    teams: Annotated[int, typer.Option(min=1, max=20, help="Teams per ART.")] = 8,
    pis: Annotated[int, typer.Option(min=0, max=12, help="Finished PIs per ART.")] = 3,
    serve_after: Annotated[bool, typer.Option("--serve/--no-serve",
                                              help="Serve it in the browser afterwards.")] = True,
    open_browser: Annotated[bool, typer.Option("--open/--no-open")] = True,
    host: Host = "127.0.0.1",
    port: Port = 8000,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Build a realistic demo train (SQLite by default) and open it in the browser."""
    app = tm()
    now = app.clock()
    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                  console=console, transient=True, disable=as_json) as bar:
        task = bar.add_task("Simulating the train", total=None)

        def progress(stage: str, done: int, total: int) -> None:
            label = "Simulating PIs" if stage != "store" else "Storing"
            bar.update(task, description=label, completed=done, total=total)

        result = demo_service.build_demo(app.uow(), cli_actor(), seed=seed, arts=arts,
                                         teams=teams, pis=pis, today=now.date(), at=now,
                                         progress=progress)
    if as_json:
        print_json(result)
    else:
        verb = "Built" if result.created else "Already built"
        console.print(f"{verb} demo train {', '.join(result.art_keys)} in {app.backend}.")
        if result.counts:
            show("Rows", ["table", "rows"], sorted(result.counts.items()))
        show("Demo users (one per role)", ["user", "password", "role"], result.users)
    if serve_after:
        serve(host=host, port=port, open_browser=open_browser)


def serve(host: Host = "127.0.0.1", port: Port = 8000,
          workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
          run_jobs: Annotated[bool, typer.Option("--jobs/--no-jobs",
                                                 help="Also run queued background jobs.")] = True,
          open_browser: Annotated[bool, typer.Option("--open/--no-open")] = False) -> None:
    """Serve the web app and the JSON API."""
    app = tm()
    console.print(f"Serving on http://{host}:{port} (database: {app.backend}); Ctrl+C stops.")
    if run_jobs:
        stopped = threading.Event()
        threading.Thread(target=jobs.work, args=(app.uow, app.clock), daemon=True,
                         kwargs={"stop": stopped.is_set, "wait": stopped.wait,
                                 "data_dir": app.settings.data_dir}).start()
    if open_browser:
        threading.Timer(1.5, webbrowser.open, args=(f"http://{host}:{port}/",)).start()
    uvicorn.run("trainmaster.web.app:create_app", factory=True, host=host, port=port,
                workers=workers, log_level="warning")


def worker(once: Annotated[bool, typer.Option(help="Run one queued job and exit.")] = False,
           poll: Annotated[float, typer.Option(min=0.1, help="Seconds between polls.")] = 1.0
           ) -> None:
    """Run queued background jobs (any number of workers may share one database)."""
    app = tm()
    if once:
        job = jobs.run_next_job(app.uow, app.clock, data_dir=app.settings.data_dir)
        console.print(f"job {job.id} {job.kind}: {job.status.value} {job.message}" if job
                      else "No queued job.")
        return
    console.print(f"Working on queued jobs ({app.backend}); Ctrl+C stops.")
    stopped = threading.Event()
    jobs.work(app.uow, app.clock, stop=stopped.is_set, wait=stopped.wait, poll=poll,
              data_dir=app.settings.data_dir)


@db_app.command("upgrade")
def upgrade() -> None:
    """Migrate the database to the newest schema."""
    applied = bootstrap.build(migrate_now=False).upgrade_database()
    console.print("Applied: " + ", ".join(applied) if applied else "The schema is up to date.")
