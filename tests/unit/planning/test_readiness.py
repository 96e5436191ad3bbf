from tests.factories import actor
from trainmaster.analytics.readiness import assess
from trainmaster.analytics.wsjf import rank_features
from trainmaster.domain.access import Role
from trainmaster.services import planning

READY = {"description": "Why and what", "acceptance_criteria": "Given … when … then …",
         "points": 13, "business_value": 8, "time_criticality": 5, "risk_reduction": 3,
         "job_size": 5}


def test_a_ready_pi_scores_100_and_lists_nothing(train):
    train.feature("F-1", "Falcon", **READY)
    train.uow.arts.get(train.art).roadmap_url = "https://example.org/roadmap"
    train.seat("Osprey", "Osprey dev")
    train.uow.commit()
    view = planning.check_readiness(train.uow, actor(Role.VIEWER), train.pi)
    assert view.readiness.score == 100 and view.readiness.findings == ()
    assert view.readiness.level == "green"


def test_readiness_lists_missing_criteria_capacity_and_roadmap(train):
    train.feature("F-1", "Falcon", **READY)
    train.feature("F-2", "Kestrel", **{**READY, "acceptance_criteria": ""})
    train.feature("F-3", "Kestrel", **{**READY, "points": None, "job_size": None})
    view = planning.check_readiness(train.uow, actor(Role.VIEWER), train.pi)
    problems = {(f.area, f.subject): f.problem for f in view.readiness.findings}
    assert "acceptance criteria" in problems[("backlog", "F-2")]
    assert problems[("backlog", "F-3")].endswith("lacks estimate, WSJF")
    assert ("capacity", "Osprey") in problems          # Osprey has no developers or testers
    assert ("roadmap", "ART") in problems and ("vision", "ART") not in problems
    # backlog 9 of 12 checks (37.5) + capacity 2 of 3 teams (20) + vision 10 = 67.5
    assert view.readiness.score == 68 and view.readiness.level == "red"


def test_the_score_weighs_backlog_capacity_vision_and_roadmap():
    ranked = rank_features([])
    empty = assess(ranked, {}, None, None)
    assert empty.score == 0 and len(empty.findings) == 4
    assert assess(ranked, {(1, "Falcon"): 40.0}, "v", "r").score == 50


def test_top_backlog_features_waiting_outside_the_pi_are_examined(train):
    train.add("items", {"art_id": train.art, "level": "feature", "key": "B-1",
                        "title": "Waiting", "status": "backlog", **{**READY, "description": ""}})
    view = planning.check_readiness(train.uow, actor(Role.VIEWER), train.pi)
    assert [r.item.key for r in view.examined] == ["B-1"]
    assert view.readiness.findings[0].subject == "B-1"
