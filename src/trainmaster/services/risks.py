"""The ROAM board: ART risks by Resolved / Owned / Accepted / Mitigated, and moving them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from trainmaster.domain.access import Actor, Permission
from trainmaster.domain.art import Art, Person
from trainmaster.domain.errors import Invalid, NotFound
from trainmaster.domain.risk import Risk, RiskChange, Roam
from trainmaster.services.unit_of_work import UnitOfWork

COLUMNS = (Roam.UNROAMED, Roam.RESOLVED, Roam.OWNED, Roam.ACCEPTED, Roam.MITIGATED)


@dataclass(frozen=True)
class RiskCard:
    risk: Risk
    owner: Person | None
    overdue: bool
    history: list[RiskChange]


@dataclass(frozen=True)
class RoamBoard:
    art: Art
    pi_id: int | None
    columns: dict[Roam, list[RiskCard]]

    @property
    def unroamed(self) -> list[RiskCard]:
        return self.columns[Roam.UNROAMED]

    @property
    def overdue(self) -> list[RiskCard]:
        return [c for cards in self.columns.values() for c in cards if c.overdue]


def roam_board(uow: UnitOfWork, actor: Actor, art_id: int, *, pi_id: int | None = None,
               today: date) -> RoamBoard:
    """The ART's risks (of one PI when given) by ROAM column, overdue ones flagged."""
    actor.require(Permission.VIEW, art_id)
    with uow:
        art = uow.arts.get(art_id)
        filters: dict[str, Any] = {"pi_id": pi_id} if pi_id is not None else {}
        risks = uow.risks.find(art_id=art_id, **filters)
        owners = {p.id: p for p in uow.people.find(
            id=sorted({r.owner_id for r in risks if r.owner_id}))} if risks else {}
        changes = uow.risk_changes.find(risk_id=[r.id for r in risks], order_by="at") \
            if risks else []
        columns: dict[Roam, list[RiskCard]] = {c: [] for c in COLUMNS}
        for r in sorted(risks, key=lambda r: (r.due is None, r.due, r.id)):
            columns[r.roam].append(RiskCard(r, owners.get(r.owner_id), r.is_overdue(today),
                                            [c for c in changes if c.risk_id == r.id]))
        return RoamBoard(art, pi_id, columns)


def roam_risk(uow: UnitOfWork, actor: Actor, risk_id: int, to: str, *,
              owner_id: int | None = None, note: str = "", at: datetime) -> RiskChange:
    """Move a risk on the ROAM board; Owned needs a named owner. Who and when are kept."""
    try:
        target = Roam(to)
    except ValueError:
        allowed = ", ".join(c.value for c in COLUMNS)
        raise Invalid(f"{to!r} is not a ROAM column ({allowed})", field="roam") from None
    with uow:
        risk = uow.lock(Risk, risk_id)
        actor.require(Permission.MANAGE_RISKS, risk.art_id)
        if owner_id is not None and uow.people.first(id=owner_id) is None:
            raise Invalid(f"person {owner_id} does not exist", field="owner_id")
        change = risk.move(target, by_user_id=actor.user_id, at=at, owner_id=owner_id,
                           note=note)
        uow.risk_changes.add(change)
        uow.commit()
        return change


def find_person(uow: UnitOfWork, actor: Actor, ref: str) -> Person:
    """A person by id or exact name (case-insensitive)."""
    with uow:
        if ref.isdigit():
            found = uow.people.first(id=int(ref))
        else:
            found = next((p for p in uow.people.find() if p.name.lower() == ref.strip().lower()),
                         None)
    if found is None:
        raise NotFound(f"no person {ref!r}")
    return found
