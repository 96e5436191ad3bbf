import pytest

from trainmaster.domain.errors import Conflict, Invalid
from trainmaster.domain.work_item import WorkType
from trainmaster.domain.workshop import (
    Cause,
    CauseCategory,
    Problem,
    ProblemStage,
    Solution,
    pareto,
)


def cause(text="Flaky tests", votes=0, whys=(), id=1, category=CauseCategory.TOOLS):
    return Cause(problem_id=1, category=category, text=text, whys=list(whys), votes=votes,
                 id=id)


def test_a_problem_starts_by_agreeing_the_statement():
    assert Problem(workshop_id=1, statement="Releases slip").stage is ProblemStage.AGREE


def test_steps_go_forward_one_at_a_time():
    problem = Problem(workshop_id=1, statement="Releases slip")
    with pytest.raises(Conflict):
        problem.move_to(ProblemStage.VOTE, [], [])
    problem.move_to(ProblemStage.FISHBONE, [], [])
    assert problem.stage is ProblemStage.FISHBONE


@pytest.mark.parametrize(("stage", "causes", "solutions", "missing"), [
    (ProblemStage.WHYS, [], [], "add at least one cause"),
    (ProblemStage.VOTE, [cause()], [], "ask why"),
    (ProblemStage.RESTATE, [cause(whys=["no owner"])], [], "record the Pareto vote"),
])
def test_a_step_needs_the_previous_one_done(stage, causes, solutions, missing):
    order = list(ProblemStage)
    problem = Problem(workshop_id=1, statement="x", stage=order[order.index(stage) - 1])
    with pytest.raises(Invalid, match=missing):
        problem.move_to(stage, causes, solutions)


def test_the_whole_workshop_walks_to_done():
    problem = Problem(workshop_id=1, statement="Releases slip")
    causes = [cause(whys=["tests are flaky"], votes=5)]
    for stage in (ProblemStage.FISHBONE, ProblemStage.WHYS, ProblemStage.VOTE,
                  ProblemStage.RESTATE):
        problem.move_to(stage, causes, [])
    problem.restate("Flaky integration tests delay every release")
    problem.move_to(ProblemStage.SOLUTIONS, causes, [])
    solution = Solution(problem_id=1, text="Quarantine flaky tests", id=1)
    with pytest.raises(Invalid, match="improvement items"):
        problem.move_to(ProblemStage.DONE, causes, [solution])
    solution.item_id = 99
    problem.move_to(ProblemStage.DONE, causes, [solution])
    assert problem.stage is ProblemStage.DONE


def test_going_back_is_free_until_done():
    problem = Problem(workshop_id=1, statement="x", stage=ProblemStage.VOTE)
    problem.move_to(ProblemStage.FISHBONE, [], [])
    assert problem.stage is ProblemStage.FISHBONE
    closed = Problem(workshop_id=1, statement="x", stage=ProblemStage.DONE)
    with pytest.raises(Conflict):
        closed.move_to(ProblemStage.SOLUTIONS, [], [])


def test_restating_belongs_to_its_step():
    with pytest.raises(Conflict):
        Problem(workshop_id=1, statement="x").restate("y")


def test_five_whys_at_most():
    c = cause()
    for answer in ("a", "b", "c", "d", "e"):
        c.ask_why(answer)
    assert c.root == "e"
    with pytest.raises(Invalid):
        c.ask_why("f")


def test_an_improvement_is_an_enabler_or_tech_debt():
    assert Solution(problem_id=1, text="x", work_type="tech_debt").work_type is WorkType.TECH_DEBT
    with pytest.raises(Invalid):
        Solution(problem_id=1, text="x", work_type=WorkType.BUSINESS)


def test_pareto_orders_by_votes_and_marks_the_vital_few():
    causes = [cause("a", 2, id=1), cause("b", 10, id=2), cause("c", 5, id=3),
              cause("d", 3, id=4), cause("e", 0, id=5)]
    bars = pareto(causes)
    assert [b.cause.text for b in bars] == ["b", "c", "d", "a", "e"]
    assert [round(b.cumulative, 2) for b in bars] == [0.5, 0.75, 0.9, 1.0, 1.0]
    assert [b.vital for b in bars] == [True, True, True, False, False]


def test_pareto_without_votes_marks_nothing():
    assert [b.vital for b in pareto([cause(), cause("b", id=2)])] == [False, False]
