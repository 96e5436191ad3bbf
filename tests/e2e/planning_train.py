"""A planned train for the PI Planning end-to-end tests."""

from typing import Any

from tests.factories import AT
from trainmaster.bootstrap import App
from trainmaster.domain.access import SYSTEM
from trainmaster.services import catalog


def build_plan(tm: App, train: dict[str, int]) -> dict[str, Any]:
    """Two more teams, people, features planned with a dependency, a risk."""
    uow = tm.uow

    def add(name, values):
        return catalog.create_entity(uow(), SYSTEM, name, values, at=AT)

    teams = {"Osprey": train["team"]}
    for name in ("Falcon", "Kestrel"):
        teams[name] = add("teams", {"art_id": train["art"], "name": name}).id
    for n, team in enumerate(teams.values()):
        person = add("people", {"name": f"Dev {n}"})
        add("memberships", {"team_id": team, "person_id": person.id})
    its = {i.name: i.id for i in
           catalog.list_entities(uow(), SYSTEM, "iterations", pi_id=train["pi"])}
    items = {}
    for key, team, it in (("API", "Falcon", "I2"), ("WALLET", "Kestrel", "I3")):
        items[key] = add("items", {
            "art_id": train["art"], "level": "feature", "key": key, "title": f"{key} feature",
            "team_id": teams[team], "pi_id": train["pi"], "iteration_id": its[it],
            "business_value": 8, "time_criticality": 5, "risk_reduction": 3, "job_size": 5,
            "points": 20, "description": "d", "acceptance_criteria": "a"}).id
    add("items", {"art_id": train["art"], "level": "story", "key": "S-1", "title": "story",
                  "team_id": teams["Falcon"], "pi_id": train["pi"], "iteration_id": its["I2"],
                  "points": 13, "parent_id": items["API"]})
    risk = add("risks", {"art_id": train["art"], "title": "Vendor late", "pi_id": train["pi"]})
    return {**train, "teams": teams, "its": its, "items": items, "risk": risk.id}
