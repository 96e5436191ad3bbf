"""An imported train's PI exported as CSV and JSON, on both databases."""

import csv
import io
import json
import zipfile
from datetime import date
from pathlib import Path

from tests.conftest import NOW
from trainmaster.domain.access import SYSTEM
from trainmaster.domain.art import Art, Person
from trainmaster.domain.objective import Objective
from trainmaster.domain.pi import Pi
from trainmaster.domain.risk import Risk, Roam
from trainmaster.integrations.jira_csv import JiraCsvSource
from trainmaster.integrations.mapping import load_mapping
from trainmaster.services import exports, imports

FIXTURES = Path(__file__).parents[1] / "fixtures" / "jira"


def planned_train(tm) -> int:
    """The CSV export imported into a PI, stories placed, an objective and a risk added."""
    with tm.uow() as uow:
        art = uow.arts.add(Art(name="Payments ART", key="PAY", timezone="Europe/Berlin"))
        pi = uow.pis.add(Pi(art_id=art.id, name="PI 26.4", start_date=date(2026, 11, 2)))
        uow.iterations.add_all(pi.build_iterations())
        uow.commit()
        pi_id = pi.id
    mapping = load_mapping(FIXTURES / "mapping.toml").mapping
    imports.run_import(tm.uow(), SYSTEM, mapping,
                       JiraCsvSource(FIXTURES / "export_all_fields.csv", mapping), at=NOW)
    with tm.uow() as uow:
        iterations = {i.index: i.id for i in uow.iterations.find(pi_id=pi_id)}
        for key, index in (("KES-1", 3), ("OSP-2", 2)):
            item = uow.items.first(key=key)
            item.pi_id, item.iteration_id = pi_id, iterations[index]
        feature = uow.items.first(key="PAY-2")
        feature.business_value, feature.time_criticality = 8, 5
        feature.risk_reduction, feature.job_size = 3, 8
        owner = uow.people.add(Person(name="Omar Haddad"))
        uow.objectives.add(Objective(pi_id=pi_id, team_id=feature.team_id, text="Pay by link",
                                     planned_bv=8, feature_ids=[feature.id]))
        uow.risks.add(Risk(art_id=feature.art_id, pi_id=pi_id, title="Card scheme rules",
                           roam=Roam.OWNED, owner_id=owner.id, due=date(2026, 12, 1)))
        uow.commit()
    return pi_id


def test_a_pi_exports_features_stories_dependencies_objectives_and_risks(tm):
    pi_id = planned_train(tm)
    data = exports.export_pi(tm.uow(), SYSTEM, pi_id)
    assert [f["key"] for f in data.tables["features"]] == ["PAY-2", "PAY-3"]
    pay2 = data.tables["features"][0]
    assert (pay2["team"], pay2["wsjf"], pay2["story_points"]) == ("Osprey", 2.0, 9.0)
    assert [s["key"] for s in data.tables["stories"]] == ["KES-1", "KES-2", "OSP-1", "OSP-2",
                                                          "OSP-3"]
    late = next(d for d in data.tables["dependencies"] if d["provider"] == "KES-1"
                and d["consumer"] == "OSP-2")
    assert late["state"] == "late"        # provider in iteration 3, consumer in iteration 2
    assert data.tables["objectives"][0]["features"] == "PAY-2"
    assert data.tables["risks"][0]["owner"] == "Omar Haddad"


def test_the_csv_and_json_files_hold_the_same_tables(tm, tmp_path):
    data = exports.export_pi(tm.uow(), SYSTEM, planned_train(tm))
    [archive] = exports.write_export(data, tmp_path / "pi.zip", "csv")
    with zipfile.ZipFile(archive) as z:
        stories = list(csv.DictReader(io.StringIO(z.read("stories.csv").decode())))
        risks = list(csv.DictReader(io.StringIO(z.read("risks.csv").decode())))
    assert [s["key"] for s in stories] == [s["key"] for s in data.tables["stories"]]
    assert risks[0]["roam"] == "owned" and risks[0]["due"] == "2026-12-01"
    folder = exports.write_export(data, tmp_path / "pi", "csv")
    assert sorted(p.name for p in folder) == ["dependencies.csv", "features.csv",
                                              "objectives.csv", "risks.csv", "stories.csv"]
    [document] = exports.write_export(data, tmp_path / "pi.json", "json")
    loaded = json.loads(document.read_text())
    assert loaded["format"] == "trainmaster-pi-export"
    assert loaded["iterations"][-1]["name"] == "IP"
    assert [d["state"] for d in loaded["dependencies"]] == [
        d["state"] for d in data.tables["dependencies"]]
