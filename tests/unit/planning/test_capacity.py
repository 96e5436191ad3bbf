from datetime import date

from trainmaster.analytics.capacity import (
    iteration_capacity,
    planned_points,
    team_loads,
)
from trainmaster.domain.art import Membership
from trainmaster.domain.pi import Iteration

# a 2-week iteration: Monday 7 Dec – Sunday 20 Dec 2026
I1 = Iteration(pi_id=1, index=1, name="I1", start_date=date(2026, 12, 7),
               end_date=date(2026, 12, 20), id=11)
IP = Iteration(pi_id=1, index=5, name="IP", start_date=date(2027, 2, 1),
               end_date=date(2027, 2, 14), is_ip=True, id=15)
SEATS = [Membership(team_id=1, person_id=1),                          # full-time developer
         Membership(team_id=1, person_id=2),                          # full-time developer
         Membership(team_id=1, person_id=3, role="tester", allocation=0.5),
         Membership(team_id=1, person_id=4, role="scrum_master")]


def test_capacity_is_eight_points_per_full_time_developer_or_tester_scaled_by_allocation():
    # 8 + 8 + 0.5 × 8; the Scrum Master brings no capacity
    assert iteration_capacity(I1, SEATS, {}, []) == 20


def test_each_vacation_day_on_a_working_day_costs_one_point():
    # person 1 is away Wednesday and Thursday, and on Saturday (not a working day)
    away = {1: [date(2026, 12, 9), date(2026, 12, 10), date(2026, 12, 12)]}
    assert iteration_capacity(I1, SEATS, away, []) == 18


def test_a_holiday_costs_every_capacity_person_one_point_and_counts_once_with_a_vacation():
    holiday = [date(2026, 12, 9)]
    assert iteration_capacity(I1, SEATS, {}, holiday) == 17          # 20 − 3 people
    away = {1: [date(2026, 12, 9)]}                                   # same day: counted once
    assert iteration_capacity(I1, SEATS, away, holiday) == 17


def test_a_person_never_brings_negative_capacity():
    # the half-time tester is away the whole iteration: 4 − 10 stops at 0
    away = {3: [date(2026, 12, 7 + d) for d in range(14)]}
    assert iteration_capacity(I1, SEATS, away, []) == 16


def test_days_outside_the_iteration_do_not_count():
    away = {1: [date(2026, 12, 4), date(2026, 12, 21)]}
    assert iteration_capacity(I1, SEATS, away, []) == 20


def test_a_one_week_iteration_scales_the_eight_points_by_its_length():
    week = Iteration(pi_id=1, index=1, name="I1", start_date=date(2026, 12, 7),
                     end_date=date(2026, 12, 13))
    assert iteration_capacity(week, SEATS, {}, []) == 10              # 4 + 4 + 2


def test_the_ip_iteration_has_no_plannable_capacity():
    assert iteration_capacity(IP, SEATS, {}, []) == 0


def test_load_is_the_story_points_planned_into_the_iteration_and_overload_is_load_above():
    loads = team_loads([I1, IP], SEATS, {}, [], {11: 21.0, 15: 2.0})
    assert [(x.name, x.capacity, x.load, x.overloaded) for x in loads] == [
        ("I1", 20, 21, True), ("IP", 0, 2, True)]
    assert team_loads([I1], SEATS, {}, [], {11: 20.0})[0].overloaded is False


def test_planned_points_sum_stories_per_team_and_iteration(train):
    train.story("S-1", "Falcon", "I1", 3)
    train.story("S-2", "Falcon", "I1", 5)
    train.story("S-3", "Kestrel", "I1", 2)
    train.story("S-4", "Kestrel", None, 8)
    stories = train.uow.items.find(level="story")
    i1 = train.iterations["I1"]
    assert planned_points(stories) == {(train.teams["Falcon"], i1): 8,
                                       (train.teams["Kestrel"], i1): 2}
