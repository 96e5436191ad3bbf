"""Inspect & Adapt: PI System Demo, quantitative review, retrospective, problem solving.

The problem-solving workshop ends in improvement items: one feature per solution, of work
type enabler or tech debt, in the next PI's backlog, whose description links back to the
workshop (and the solution keeps the item's id).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from trainmaster.domain.access import Actor, Permission
from trainmaster.domain.art import Art
from trainmaster.domain.calendar import local_date
from trainmaster.domain.errors import Invalid, NotFound
from trainmaster.domain.pi import Pi
from trainmaster.domain.work_item import ItemLevel, KanbanState, StatusChange, WorkItem, WorkType
from trainmaster.domain.workshop import (
    STAGES,
    Cause,
    CauseCategory,
    ParetoBar,
    Problem,
    ProblemStage,
    Solution,
    Workshop,
    pareto,
)
from trainmaster.services.overview import current_pi, find_art
from trainmaster.services.review import ReviewView, pi_review
from trainmaster.services.unit_of_work import UnitOfWork

RETRO_COLUMNS = {"well": "retro_well", "improve": "retro_improve"}


@dataclass(frozen=True)
class WorkshopView:
    art: Art
    pi: Pi
    next_pi: Pi | None
    workshop: Workshop | None
    review: ReviewView
    features: list[WorkItem]          # the PI's features, for the PI System Demo record
    problems: list[Problem]


@dataclass(frozen=True)
class ProblemView:
    art: Art
    pi: Pi
    next_pi: Pi | None
    workshop: Workshop
    problem: Problem
    causes: list[Cause]
    pareto: list[ParetoBar]
    solutions: list[tuple[Solution, WorkItem | None]]
    missing: str | None               # what the next step still needs

    def by_category(self, category: str) -> list[Cause]:
        return [c for c in self.causes if c.category.value == category]


def _next_pi(uow: UnitOfWork, pi: Pi) -> Pi | None:
    later = [p for p in uow.pis.find(art_id=pi.art_id, order_by="start_date")
             if p.start_date > pi.start_date]
    return later[0] if later else None


def workshop_pi(uow: UnitOfWork, actor: Actor, art_ref: str, *, today: date) -> Pi:
    """The PI whose Inspect & Adapt is at hand: the running one, else the latest started."""
    art = find_art(uow, actor, art_ref)
    with uow:
        pis = uow.pis.find(art_id=art.id, order_by="start_date")
    started = [p for p in pis if p.start_date <= today]
    pi = current_pi(pis, today) if not started or started[-1].end_date >= today else started[-1]
    if pi is None:
        raise NotFound(f"ART {art.key} has no PI yet")
    return pi


def open_workshop(uow: UnitOfWork, actor: Actor, pi_id: int, *, at: datetime) -> Workshop:
    """The PI's Inspect & Adapt workshop, created on first use."""
    with uow:
        pi = uow.pis.get(pi_id)
        actor.require(Permission.RUN_EVENTS, pi.art_id)
        workshop = uow.workshops.first(pi_id=pi_id)
        if workshop is None:
            workshop = uow.workshops.add(Workshop(art_id=pi.art_id, pi_id=pi_id, created_at=at))
            uow.commit()
        return workshop


def workshop_view(uow: UnitOfWork, actor: Actor, pi_id: int, *, at: datetime) -> WorkshopView:
    with uow:
        pi = uow.pis.get(pi_id)
        actor.require(Permission.VIEW, pi.art_id)
        workshop = uow.workshops.first(pi_id=pi_id)
        problems = uow.problems.find(workshop_id=workshop.id) if workshop else []
        art = uow.arts.get(pi.art_id)
        return WorkshopView(
            art=art, pi=pi, next_pi=_next_pi(uow, pi), workshop=workshop,
            review=pi_review(uow, pi, local_date(at, art.timezone)),
            features=uow.items.find(pi_id=pi_id, level=ItemLevel.FEATURE.value, order_by="key"),
            problems=problems)


def _workshop(uow: UnitOfWork, actor: Actor, workshop_id: int) -> Workshop:
    workshop = uow.lock(Workshop, workshop_id)
    actor.require(Permission.RUN_EVENTS, workshop.art_id)
    return workshop


def record_demo(uow: UnitOfWork, actor: Actor, workshop_id: int, *, notes: str,
                feature_ids: list[int]) -> Workshop:
    """The PI System Demo: what was shown (features of the PI) and what was said."""
    with uow:
        workshop = _workshop(uow, actor, workshop_id)
        features = {f.id for f in uow.items.find(pi_id=workshop.pi_id, level="feature")}
        unknown = sorted(set(feature_ids) - features)
        if unknown:
            raise Invalid(f"items {unknown} are not features of this PI", field="feature_ids")
        workshop.demo_notes = notes.strip()
        workshop.demo_feature_ids = sorted(set(feature_ids))
        uow.commit()
        return workshop


def record_review(uow: UnitOfWork, actor: Actor, workshop_id: int, *, at: datetime
                  ) -> Workshop:
    """Keep the quantitative review's figures as they stand now."""
    with uow:
        workshop = _workshop(uow, actor, workshop_id)
        art = uow.arts.get(workshop.art_id)
        review = pi_review(uow, uow.pis.get(workshop.pi_id), local_date(at, art.timezone))
        workshop.review = review.snapshot(at)
        uow.commit()
        return workshop


def add_retro_note(uow: UnitOfWork, actor: Actor, workshop_id: int, column: str,
                   text: str) -> Workshop:
    """A retrospective note: what went well ("well") or what to improve ("improve")."""
    if column not in RETRO_COLUMNS:
        raise Invalid("is 'well' or 'improve'", field="column")
    text = (text or "").strip()
    if not text:
        raise Invalid("must not be empty", field="text")
    with uow:
        workshop = _workshop(uow, actor, workshop_id)
        notes = list(getattr(workshop, RETRO_COLUMNS[column]))
        setattr(workshop, RETRO_COLUMNS[column], notes + [text[:500]])
        uow.commit()
        return workshop


def add_problem(uow: UnitOfWork, actor: Actor, workshop_id: int, statement: str) -> Problem:
    """Agree the problem to work on: a statement of what, where, when and its impact."""
    with uow:
        workshop = _workshop(uow, actor, workshop_id)
        problem = uow.problems.add(Problem(workshop_id=workshop.id or 0, statement=statement))
        uow.commit()
        return problem


def _problem(uow: UnitOfWork, actor: Actor, problem_id: int) -> tuple[Workshop, Problem]:
    problem = uow.lock(Problem, problem_id)
    workshop = uow.workshops.get(problem.workshop_id)
    actor.require(Permission.RUN_EVENTS, workshop.art_id)
    return workshop, problem


def move_problem(uow: UnitOfWork, actor: Actor, problem_id: int, stage: ProblemStage
                 ) -> Problem:
    """Go to another step (forward only when the current one is done)."""
    with uow:
        _, problem = _problem(uow, actor, problem_id)
        if ProblemStage(stage) is ProblemStage.DONE:
            raise Invalid("create the improvement items to finish the workshop", field="stage")
        problem.move_to(stage, uow.causes.find(problem_id=problem_id),
                        uow.solutions.find(problem_id=problem_id))
        uow.commit()
        return problem


def add_cause(uow: UnitOfWork, actor: Actor, problem_id: int, category: CauseCategory,
              text: str) -> Cause:
    """A cause on one bone of the fishbone."""
    with uow:
        _, problem = _problem(uow, actor, problem_id)
        problem.require_stage(ProblemStage.FISHBONE, ProblemStage.WHYS)
        cause = uow.causes.add(Cause(problem_id=problem_id, category=category, text=text))
        uow.commit()
        return cause


def ask_why(uow: UnitOfWork, actor: Actor, cause_id: int, answer: str) -> Cause:
    """The answer to the next "why?" for a cause (five at most)."""
    with uow:
        cause = uow.lock(Cause, cause_id)
        _, problem = _problem(uow, actor, cause.problem_id)
        problem.require_stage(ProblemStage.WHYS)
        cause.ask_why(answer)
        cause.whys = list(cause.whys)  # a new list, so the change is stored
        uow.commit()
        return cause


def record_votes(uow: UnitOfWork, actor: Actor, problem_id: int, votes: dict[int, int]
                 ) -> list[ParetoBar]:
    """The Pareto vote: dots per cause, as counted in the room (replaces earlier counts)."""
    with uow:
        _, problem = _problem(uow, actor, problem_id)
        problem.require_stage(ProblemStage.VOTE)
        causes = {c.id: c for c in uow.causes.find(problem_id=problem_id)}
        unknown = sorted(set(votes) - set(causes))
        if unknown:
            raise Invalid(f"causes {unknown} are not causes of this problem", field="votes")
        if any(v < 0 for v in votes.values()):
            raise Invalid("vote counts must not be negative", field="votes")
        for cause_id, count in votes.items():
            causes[cause_id].votes = count
        uow.commit()
        return pareto(list(causes.values()))


def restate_problem(uow: UnitOfWork, actor: Actor, problem_id: int, text: str) -> Problem:
    """The problem restated around the biggest root cause the vote found."""
    with uow:
        _, problem = _problem(uow, actor, problem_id)
        problem.restate(text)
        uow.commit()
        return problem


def add_solution(uow: UnitOfWork, actor: Actor, problem_id: int, text: str, *,
                 work_type: WorkType = WorkType.ENABLER) -> Solution:
    with uow:
        _, problem = _problem(uow, actor, problem_id)
        problem.require_stage(ProblemStage.SOLUTIONS)
        solution = uow.solutions.add(Solution(problem_id=problem_id, text=text,
                                              work_type=work_type))
        uow.commit()
        return solution


def create_improvements(uow: UnitOfWork, actor: Actor, problem_id: int, *, at: datetime
                        ) -> list[WorkItem]:
    """One backlog feature per solution in the next PI, linked back; closes the problem."""
    with uow:
        workshop, problem = _problem(uow, actor, problem_id)
        problem.require_stage(ProblemStage.SOLUTIONS)
        actor.require(Permission.EDIT_BACKLOG, workshop.art_id)
        pi = uow.pis.get(workshop.pi_id)
        next_pi = _next_pi(uow, pi)
        if next_pi is None:
            raise NotFound(f"the ART has no PI after {pi.name}: create the next PI first")
        solutions = uow.solutions.find(problem_id=problem_id)
        if not solutions:
            raise Invalid("add at least one solution", field="solutions")
        art = uow.arts.get(workshop.art_id)
        created = [_improvement(uow, art, pi, next_pi, problem, s, at)
                   for s in solutions if s.item_id is None]
        problem.move_to(ProblemStage.DONE, uow.causes.find(problem_id=problem_id), solutions)
        uow.commit()
        return created


def _improvement(uow: UnitOfWork, art: Art, pi: Pi, next_pi: Pi, problem: Problem,
                 solution: Solution, at: datetime) -> WorkItem:
    description = (f"Improvement from the Inspect & Adapt workshop of {pi.name} "
                   f"(/pis/{pi.id}/inspect-adapt, problem {problem.id}, workshop:"
                   f"{problem.workshop_id}).\n\nProblem: {problem.restated or problem.statement}")
    item = uow.items.add(WorkItem(
        art_id=art.id or 0, level=ItemLevel.FEATURE, key=f"{art.key}-IA-{solution.id}",
        title=solution.text, work_type=solution.work_type, status=KanbanState.BACKLOG.value,
        description=description, pi_id=next_pi.id, created_at=at, updated_at=at))
    uow.status_changes.add(StatusChange(item_id=item.id or 0, to_status=item.status, at=at))
    solution.item_id = item.id
    return item


def problem_view(uow: UnitOfWork, actor: Actor, problem_id: int) -> ProblemView:
    with uow:
        problem = uow.problems.get(problem_id)
        workshop = uow.workshops.get(problem.workshop_id)
        actor.require(Permission.VIEW, workshop.art_id)
        pi = uow.pis.get(workshop.pi_id)
        causes = uow.causes.find(problem_id=problem_id)
        solutions = uow.solutions.find(problem_id=problem_id)
        following = STAGES[min(STAGES.index(problem.stage) + 1, len(STAGES) - 1)]
        return ProblemView(
            art=uow.arts.get(workshop.art_id), pi=pi, next_pi=_next_pi(uow, pi),
            workshop=workshop, problem=problem, causes=causes, pareto=pareto(causes),
            solutions=[(s, uow.items.get(s.item_id) if s.item_id else None) for s in solutions],
            missing=problem.missing_for(following, causes, solutions))
