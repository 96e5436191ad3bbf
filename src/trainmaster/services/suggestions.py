"""Suggested dependencies: find likely links nobody recorded, let people accept or reject.

A run reads a PI's (or an ART's open) features and stories that have a team, asks
`intelligence.dependency_finder` for the likeliest unrecorded pairs between teams and keeps
them as proposals, so every web worker shows the same list. Recorded dependencies and
decided pairs (accepted or rejected, either direction) are never proposed again. Accepting
turns a proposal into a dependency request to the providing team.

Embeddings are cached in a file under the folder the edge passes in (the data directory);
the model is loaded once per process (`shared_embedder`). A run whose texts are mostly
cached runs at once; a big one is queued as a background job (`JOB_KIND`).
The finder's heavy imports happen inside the functions that need them.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trainmaster.domain.access import SYSTEM, Actor, Permission
from trainmaster.domain.art import Art
from trainmaster.domain.errors import Invalid
from trainmaster.domain.job import Job
from trainmaster.domain.pi import Pi, PiState
from trainmaster.domain.suggestion import DependencySuggestion, SuggestionRun, SuggestionStatus
from trainmaster.domain.work_item import WorkItem
from trainmaster.services import agreements, auth, jobs
from trainmaster.services.dependency_data import (
    PLANNED_LEVELS,
    chunked,
    dependencies_touching,
)
from trainmaster.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from trainmaster.intelligence.dependency_finder import BacklogText, Suggestion
    from trainmaster.intelligence.embedding import Embedder, EmbeddingCache

JOB_KIND = "suggest_dependencies"
CACHE_FILE = "dependency-embeddings.npz"
INLINE_TEXTS = 48        # at most this many texts to embed in a request; more: a job
INLINE_ITEMS = 2000      # and at most this many items
TEXT_COLUMNS = ("id", "key", "title", "description", "team_id", "status", "pi_id")
DECIDED = [SuggestionStatus.ACCEPTED.value, SuggestionStatus.REJECTED.value]
LEVELS = tuple(PLANNED_LEVELS)           # features and stories
Progress = Callable[[str, int, int], None]
Pair = tuple[int, int]

_embedders: dict[bool, Embedder] = {}
_lock = threading.Lock()


def shared_embedder(prefer_model: bool = True) -> Embedder:
    """The process's embedder, loaded on first use (MiniLM, else the lexical fallback)."""
    with _lock:
        if prefer_model not in _embedders:
            from trainmaster.intelligence.embedding import load_embedder
            _embedders[prefer_model] = load_embedder(prefer_model)
        return _embedders[prefer_model]


@dataclass(frozen=True)
class SuggestionView:
    suggestion: DependencySuggestion
    consumer: WorkItem
    provider: WorkItem
    consumer_team: str
    provider_team: str


@dataclass(frozen=True)
class SuggestionList:
    art: Art
    pi: Pi | None
    run: SuggestionRun | None
    suggestions: list[SuggestionView]
    rejected: int = 0
    accepted: int = 0

    def as_dict(self) -> dict[str, Any]:
        return suggestions_dict(self)


@dataclass(frozen=True)
class SuggestionRequest:
    """Asking for suggestions gives the finished list, or the job queued to find them."""

    result: SuggestionList | None = None
    job: Job | None = None


@dataclass(frozen=True)
class Backlog:
    art: Art
    pi: Pi | None
    texts: list[BacklogText]
    links: list[Pair]                 # recorded dependencies among the items
    decided: list[Pair]               # pairs accepted or rejected before


def _levels(levels: Sequence[str]) -> list[str]:
    chosen = [lvl for lvl in LEVELS if lvl in set(levels)]
    if not chosen or len(chosen) != len(set(levels)):
        raise Invalid("look at features, stories or both", field="levels")
    return chosen


def _scope(uow: UnitOfWork, pi_id: int | None, art_id: int | None) -> tuple[Art, Pi | None]:
    if pi_id is not None:
        pi = uow.pis.get(pi_id)
        return uow.arts.get(pi.art_id), pi
    if art_id is None:
        raise Invalid("name a PI or an ART", field="pi_id")
    return uow.arts.get(art_id), None


def read_backlog(uow: UnitOfWork, actor: Actor, *, pi_id: int | None = None,
                 art_id: int | None = None, levels: Sequence[str] = LEVELS) -> Backlog:
    """The texts the finder reads: open features and stories (or only `levels`) with a
    team, in the PI (or in the ART, outside closed PIs), with the pairs not to propose."""
    from trainmaster.intelligence.dependency_finder import BacklogText

    with uow:
        art, pi = _scope(uow, pi_id, art_id)
        actor.require(Permission.EDIT_BACKLOG, art.id)
        where: dict[str, Any] = {"pi_id": pi.id} if pi else {"art_id": art.id}
        cols = uow.items.columns(TEXT_COLUMNS, level=_levels(levels), **where)
        closed = {p.id for p in uow.pis.find(art_id=art.id, state=PiState.CLOSED.value)}
        teams = {t.id: t.name for t in uow.teams.find(art_id=art.id)}
        rows = [r for r in zip(*cols.values(), strict=True)
                if r[4] in teams and r[5] != "done" and (pi or r[6] not in closed)]
        texts = [BacklogText(r[0], r[1], teams[r[4]], r[2], r[3] or "") for r in rows]
        ids = [t.id for t in texts]
        deps = dependencies_touching(uow, ids)  # type: ignore[arg-type]
        decided = chunked(uow.dependency_suggestions, ("consumer_id", "provider_id", "status"),
                          "consumer_id", ids)  # type: ignore[arg-type]
    links = list(zip(deps["consumer_id"], deps["provider_id"], strict=True))
    pairs = [(c, p) for c, p, s in zip(*decided.values(), strict=True) if s in DECIDED]
    return Backlog(art, pi, texts, links, pairs)


def suggest_dependencies(uow: UnitOfWork, actor: Actor, *, pi_id: int | None = None,
                         art_id: int | None = None, cache_dir: Path | None, at: datetime,
                         top_k: int = 20, levels: Sequence[str] = LEVELS,
                         embedder: Embedder | None = None,
                         progress: Progress | None = None) -> SuggestionList:
    """Find and keep the `top_k` likeliest unrecorded dependencies of a PI or an ART."""
    backlog = read_backlog(uow, actor, pi_id=pi_id, art_id=art_id, levels=levels)
    return _run(uow, actor, backlog, cache_dir, at, top_k, embedder, progress)


def _run(uow: UnitOfWork, actor: Actor, backlog: Backlog, cache_dir: Path | None,
         at: datetime, top_k: int, embedder: Embedder | None,
         progress: Progress | None) -> SuggestionList:
    from trainmaster.intelligence.dependency_finder import suggest

    embedder = embedder or shared_embedder()
    cache = load_cache(cache_dir)
    found = suggest(backlog.texts, backlog.links, backlog.decided, top_k, progress,
                    embedder=embedder, cache=cache)
    save_cache(cache, cache_dir)
    return _store(uow, actor, backlog, found, embedder.model_id, at)


def load_cache(cache_dir: Path | None) -> EmbeddingCache:
    from trainmaster.intelligence.embedding import EmbeddingCache

    return EmbeddingCache.load(cache_dir / CACHE_FILE) if cache_dir else EmbeddingCache()


def save_cache(cache: EmbeddingCache, cache_dir: Path | None) -> None:
    """Write the cache beside itself and move it into place (readers never see half)."""
    if cache_dir is None:
        return
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = cache_dir / f".{CACHE_FILE}.{os.getpid()}.{threading.get_ident()}.npz"
    cache.save(partial)
    os.replace(partial, cache_dir / CACHE_FILE)


def _store(uow: UnitOfWork, actor: Actor, backlog: Backlog, found: list[Suggestion],
           model_id: str, at: datetime) -> SuggestionList:
    art_id, pi_id = backlog.art.id or 0, backlog.pi.id if backlog.pi else None
    with uow:
        uow.lock(Art, art_id)       # one run at a time replaces the ART's proposals
        ids = sorted({int(i) for s in found for i in (s.consumer_id, s.provider_id)})
        taken = {frozenset(p) for p in _pairs(uow, ids)}   # decided or linked meanwhile
        for old in uow.dependency_suggestions.find(art_id=art_id, pi_id=pi_id,
                                                   status=SuggestionStatus.PROPOSED.value):
            uow.dependency_suggestions.remove(old)
        kept = [s for s in found if frozenset((s.consumer_id, s.provider_id)) not in taken]
        run = uow.suggestion_runs.add(SuggestionRun(
            art_id=art_id, pi_id=pi_id, started_at=at, finished_at=at,
            items=len(backlog.texts), proposed=len(kept), model_id=model_id,
            by_user_id=actor.user_id))
        uow.dependency_suggestions.add_all(DependencySuggestion(
            art_id=art_id, pi_id=pi_id, run_id=run.id, consumer_id=int(s.consumer_id),
            provider_id=int(s.provider_id), score=float(s.score), reasons=list(s.reasons),
            direction_known=s.direction_known, created_at=at) for s in kept)
        uow.commit()
    return list_suggestions(uow, actor, pi_id=pi_id, art_id=art_id)


def _pairs(uow: UnitOfWork, ids: list[int]) -> list[Pair]:
    """Recorded dependencies and decided suggestions with both ends among `ids`."""
    if not ids:
        return []
    deps = dependencies_touching(uow, ids)
    out = list(zip(deps["consumer_id"], deps["provider_id"], strict=True))
    decided = uow.dependency_suggestions.columns(("consumer_id", "provider_id"),
                                                 consumer_id=ids, status=DECIDED)
    return out + list(zip(decided["consumer_id"], decided["provider_id"], strict=True))


def request_suggestions(uow: UnitOfWork, actor: Actor, *, pi_id: int | None = None,
                        art_id: int | None = None, cache_dir: Path | None, at: datetime,
                        top_k: int = 20, levels: Sequence[str] = LEVELS,
                        embedder: Embedder | None = None) -> SuggestionRequest:
    """Run at once when the texts are (nearly all) embedded already, else queue a job."""
    backlog = read_backlog(uow, actor, pi_id=pi_id, art_id=art_id, levels=levels)
    embedder = embedder or shared_embedder()
    if _small(backlog, embedder, cache_dir):
        return SuggestionRequest(result=_run(uow, actor, backlog, cache_dir, at, top_k,
                                             embedder, None))
    payload = {"pi_id": pi_id if backlog.pi else None, "art_id": backlog.art.id,
               "top_k": top_k, "levels": list(_levels(levels))}
    return SuggestionRequest(job=jobs.enqueue_job(uow, actor, JOB_KIND, payload,
                                                  art_id=backlog.art.id, at=at))


def _small(backlog: Backlog, embedder: Embedder, cache_dir: Path | None) -> bool:
    from trainmaster.intelligence.embedding import EmbeddingCache

    if len(backlog.texts) > INLINE_ITEMS:
        return False
    cache = load_cache(cache_dir)
    missing = sum(cache.get(EmbeddingCache.key(embedder.model_id, t.text)) is None
                  for t in backlog.texts)
    return missing <= INLINE_TEXTS


@jobs.handler(JOB_KIND, Permission.EDIT_BACKLOG)
def run_suggestion_job(ctx: jobs.JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    """The background run, with the rights of the user who queued it."""
    cache_dir = ctx.data_dir
    actor = _job_actor(ctx.uow(), ctx.user_id)
    result = suggest_dependencies(
        ctx.uow(), actor, pi_id=payload.get("pi_id"), art_id=payload.get("art_id"),
        cache_dir=cache_dir, at=ctx.clock(), top_k=int(payload.get("top_k") or 20),
        levels=payload.get("levels") or LEVELS,
        progress=job_progress(ctx.progress))
    return {"run_id": result.run.id if result.run else None,
            "proposed": len(result.suggestions),
            "items": result.run.items if result.run else 0}


def _job_actor(uow: UnitOfWork, user_id: int | None) -> Actor:
    if user_id is None:
        return SYSTEM
    with uow:
        return auth.actor_for(uow, uow.users.get(int(user_id)))


def job_progress(report: Callable[[float, str], None]) -> Progress:
    """The finder's (stage, done, total) as a job's share done, a few updates per stage."""
    spans = {"embedding": (0.05, 0.85), "scoring": (0.85, 0.95)}
    last = {"share": -1.0}

    def progress(stage: str, done: int, total: int) -> None:
        low, high = spans.get(stage, (0.0, 1.0))
        share = low + (high - low) * (done / total if total else 1.0)
        if share - last["share"] >= 0.02 or done == total:
            last["share"] = share
            report(share, f"{stage} {done}/{total}")
    return progress


def list_suggestions(uow: UnitOfWork, actor: Actor, *, pi_id: int | None = None,
                     art_id: int | None = None) -> SuggestionList:
    """The proposals of the last run for a PI (or an ART), best first."""
    with uow:
        art, pi = _scope(uow, pi_id, art_id)
        actor.require(Permission.VIEW, art.id)
        scope_pi = pi.id if pi else None
        runs = uow.suggestion_runs.find(art_id=art.id, pi_id=scope_pi, order_by="id")
        found = uow.dependency_suggestions.find(art_id=art.id, pi_id=scope_pi)
        proposed = sorted((s for s in found if s.status is SuggestionStatus.PROPOSED),
                          key=lambda s: (-s.score, s.id or 0))
        ids = sorted({i for s in proposed for i in (s.consumer_id, s.provider_id)})
        items = {i.id: i for i in uow.items.find(id=ids)} if ids else {}
        teams = {t.id: t.name for t in uow.teams.find(art_id=art.id)}
        views = [SuggestionView(s, items[s.consumer_id], items[s.provider_id],
                                teams.get(items[s.consumer_id].team_id, "no team"),
                                teams.get(items[s.provider_id].team_id, "no team"))
                 for s in proposed]
        return SuggestionList(
            art, pi, runs[-1] if runs else None, views,
            rejected=sum(s.status is SuggestionStatus.REJECTED for s in found),
            accepted=sum(s.status is SuggestionStatus.ACCEPTED for s in found))


def accept_suggestion(uow: UnitOfWork, actor: Actor, suggestion_id: int, *, at: datetime
                      ) -> SuggestionView:
    """Turn a proposal into a dependency request (or link the dependency already recorded)."""
    with uow:
        suggestion = uow.lock(DependencySuggestion, suggestion_id)
        actor.require(Permission.EDIT_BACKLOG, suggestion.art_id)
        c, p = suggestion.consumer_id, suggestion.provider_id
        dep = uow.dependencies.first(consumer_id=c, provider_id=p) or \
            uow.dependencies.first(consumer_id=p, provider_id=c)
        if dep is None:
            dep = agreements.request_dependency(
                uow, actor, c, p, at=at, description=_description(suggestion),
                note=f"accepted from the dependency suggestions (score {suggestion.score:.1f})")
        suggestion.accept(at=at, by_user_id=actor.user_id, dependency_id=dep.id or 0)
        uow.commit()
        return _view(uow, suggestion)


def _description(s: DependencySuggestion) -> str:
    evidence = [r for r in s.reasons if not r.startswith("direction")]
    return ("Suggested: " + "; ".join(evidence))[:500]


def reject_suggestion(uow: UnitOfWork, actor: Actor, suggestion_id: int, *, at: datetime
                      ) -> SuggestionView:
    """The pair is no dependency: remember it so it is never proposed again."""
    with uow:
        suggestion = uow.lock(DependencySuggestion, suggestion_id)
        actor.require(Permission.EDIT_BACKLOG, suggestion.art_id)
        suggestion.reject(at=at, by_user_id=actor.user_id)
        uow.commit()
        return _view(uow, suggestion)


def _view(uow: UnitOfWork, s: DependencySuggestion) -> SuggestionView:
    consumer, provider = uow.items.get(s.consumer_id), uow.items.get(s.provider_id)
    teams = {t.id: t.name for t in uow.teams.find(art_id=s.art_id)}
    return SuggestionView(s, consumer, provider, teams.get(consumer.team_id, "no team"),
                          teams.get(provider.team_id, "no team"))


def suggestion_job(uow: UnitOfWork, actor: Actor, job_id: int) -> Job:
    """A queued or finished suggestion job (for the one who queued it)."""
    job = jobs.get_job(uow, actor, job_id)
    if job.kind != JOB_KIND:
        raise Invalid(f"job {job_id} is not a suggestion run", field="job_id")
    return job


def _item_dict(item: WorkItem, team: str) -> dict[str, Any]:
    return {"id": item.id, "key": item.key, "title": item.title, "team": team,
            "level": item.level.value, "iteration_id": item.iteration_id}


def view_dict(v: SuggestionView) -> dict[str, Any]:
    s = v.suggestion
    return {"id": s.id, "score": s.score, "status": s.status.value,
            "consumer": _item_dict(v.consumer, v.consumer_team),
            "provider": _item_dict(v.provider, v.provider_team),
            "reasons": list(s.reasons), "direction_known": s.direction_known,
            "dependency_id": s.dependency_id}


def suggestions_dict(s: SuggestionList) -> dict[str, Any]:
    run = s.run
    return {
        "art": {"id": s.art.id, "key": s.art.key}, "pi": {"id": s.pi.id, "name": s.pi.name}
        if s.pi else None,
        "run": None if run is None else {
            "id": run.id, "at": run.started_at.isoformat(), "items": run.items,
            "proposed": run.proposed, "model": run.model_id},
        "accepted": s.accepted, "rejected": s.rejected,
        "suggestions": [view_dict(v) for v in s.suggestions],
    }
