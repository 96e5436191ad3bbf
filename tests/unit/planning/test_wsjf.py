import pytest

from tests.factories import make_feature
from trainmaster.analytics.wsjf import rank_features, roll_up
from trainmaster.domain.errors import Invalid
from trainmaster.domain.work_item import ItemLevel, WorkItem


def feature(key, bv=None, tc=None, rr=None, size=None, **more):
    return make_feature(key=key, business_value=bv, time_criticality=tc, risk_reduction=rr,
                        job_size=size, **more)


def test_features_rank_by_wsjf_highest_first():
    ranked = rank_features([feature("A", 8, 5, 3, 8),      # 16 / 8 = 2.0
                            feature("B", 20, 13, 8, 5),    # 41 / 5 = 8.2
                            feature("C", 5, 3, 2, 1)])     # 10 / 1 = 10.0
    assert [(r.item.key, r.rank, r.wsjf) for r in ranked] == [
        ("C", 1, 10.0), ("B", 2, 8.2), ("A", 3, 2.0)]


def test_equal_wsjf_goes_to_the_smaller_job_first():
    big = feature("BIG", 13, 8, 5, 13)      # 26 / 13 = 2
    small = feature("SMALL", 3, 2, 1, 3)    # 6 / 3 = 2
    assert [r.item.key for r in rank_features([big, small])] == ["SMALL", "BIG"]


def test_features_without_a_full_score_follow_unranked():
    ranked = rank_features([feature("X", 8, None, 3, 5), feature("Y", 1, 1, 1, 1)])
    assert [(r.item.key, r.rank, r.wsjf) for r in ranked] == [("Y", 1, 3.0), ("X", None, None)]


def test_the_scale_is_enforced():
    with pytest.raises(Invalid) as err:
        feature("Z", 4, 1, 1, 1)
    assert err.value.field == "business_value"


def test_epic_estimate_sums_its_features_and_progress_counts_done_features():
    epic = WorkItem(art_id=1, level=ItemLevel.EPIC, key="E-1", title="Wallet", id=1)
    children = [feature("F1", parent_id=1, points=10, status="done"),
                feature("F2", parent_id=1, points=30, status="implementing"),
                feature("F3", parent_id=1),                         # not estimated
                feature("F4", parent_id=2, points=99, status="done")]
    (rollup,) = roll_up([epic], children)
    assert (rollup.features, rollup.estimate, rollup.unestimated, rollup.accepted) == (
        3, 40, 1, 10)
    assert rollup.progress == 0.25


def test_an_epic_without_estimates_has_no_progress():
    epic = WorkItem(art_id=1, level=ItemLevel.EPIC, key="E-2", title="Empty", id=2)
    assert roll_up([epic], [])[0].progress is None
