"""The PI's baseline: frozen when the confidence vote commits; what changed since."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from trainmaster.domain.access import Actor
from trainmaster.domain.baseline import Baseline, Change, changes_since, snapshot_of
from trainmaster.domain.errors import Conflict
from trainmaster.domain.pi import Pi
from trainmaster.services.pi_context import PiContext, load_pi
from trainmaster.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class BaselineView:
    pi: Pi
    baseline: Baseline | None
    changes: list[Change]

    def count(self, kind: str, subject: str = "feature") -> int:
        return sum(1 for c in self.changes if c.kind.value == kind and c.subject == subject)


def current_snapshot(ctx: PiContext) -> dict[str, object]:
    return snapshot_of(ctx.features, ctx.iterations, ctx.objectives, ctx.dependencies,
                       {t.id or 0: t.name for t in ctx.teams})


def freeze_baseline(uow: UnitOfWork, actor: Actor, pi_id: int, *, round_id: int | None,
                    at: datetime) -> Baseline:
    """Store the plan as the PI's baseline; call inside the committing vote's transaction."""
    if uow.baselines.first(pi_id=pi_id) is not None:
        raise Conflict("the PI already has a baseline")
    ctx = load_pi(uow, actor, pi_id)
    return uow.baselines.add(Baseline(pi_id=pi_id, taken_at=at, snapshot=current_snapshot(ctx),
                                      round_id=round_id, by_user_id=actor.user_id))


def baseline_changes(uow: UnitOfWork, actor: Actor, pi_id: int) -> BaselineView:
    """Scope added, removed and moved since the baseline (nothing while there is none)."""
    with uow:
        ctx = load_pi(uow, actor, pi_id)
        baseline = uow.baselines.first(pi_id=pi_id)
        if baseline is None:
            return BaselineView(ctx.pi, None, [])
        return BaselineView(ctx.pi, baseline,
                            changes_since(baseline.snapshot, current_snapshot(ctx)))
