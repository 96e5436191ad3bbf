from trainmaster.analytics.guardrails import allocation, points_by_type
from trainmaster.domain.art import DEFAULT_GUARDRAILS

GUARDRAILS = {"business": 0.60, "enabler": 0.25, "defect": 0.075, "tech_debt": 0.075}


def rows_by_type(planned, guardrails=GUARDRAILS, tolerance=0.05):
    return {r.work_type: r for r in allocation(planned, guardrails, tolerance)}


def test_shares_within_tolerance_are_not_flagged():
    # 62 / 24 / 8 / 6 of 100 points: every share within 5 points of its guardrail
    rows = rows_by_type({"business": 62, "enabler": 24, "defect": 8, "tech_debt": 6})
    assert not any(r.flagged for r in rows.values())
    assert rows["business"].share == 0.62 and rows["business"].deviation == 0.02


def test_a_share_beyond_tolerance_is_flagged_both_ways():
    # 75 % business (+15 points), 10 % enabler (−15 points)
    rows = rows_by_type({"business": 75, "enabler": 10, "defect": 8, "tech_debt": 7})
    assert rows["business"].flagged and rows["enabler"].flagged
    assert not rows["defect"].flagged and not rows["tech_debt"].flagged
    assert rows["enabler"].deviation == -0.15


def test_exactly_at_tolerance_is_not_flagged():
    rows = rows_by_type({"business": 65, "enabler": 20, "defect": 7.5, "tech_debt": 7.5})
    assert not rows["business"].flagged and not rows["enabler"].flagged


def test_nothing_planned_flags_nothing():
    assert not any(r.flagged for r in allocation({}, DEFAULT_GUARDRAILS, 0.05))


def test_stories_count_for_their_features_work_type(train):
    train.feature("F-1", "Falcon", work_type="enabler")
    train.story("S-1", "Falcon", "I1", 5, parent="F-1", work_type="business")
    train.story("S-2", "Falcon", "I1", 3, work_type="defect")
    train.story("S-3", "Falcon", None, 8)                              # unplanned
    stories = train.uow.items.find(level="story")
    features = {f.id: f for f in train.uow.items.find(level="feature")}
    assert points_by_type(stories, features) == {"enabler": 5, "defect": 3}
