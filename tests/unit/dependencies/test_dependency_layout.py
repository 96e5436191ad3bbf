"""The graph view's layout: team rows by iteration columns, strings from provider to consumer."""

from __future__ import annotations

from tests.factories import actor
from trainmaster.domain.access import Role
from trainmaster.services.dependency_graph import analyse_dependencies
from trainmaster.services.dependency_layout import layout_graph


def test_boxes_sit_in_their_teams_row_and_iterations_column(train):
    train.item("API", "Falcon", "I1")
    train.item("CHECKOUT", "Kestrel", "I3")
    train.item("LATE", "Osprey", "I4")
    train.depends("CHECKOUT", "API")
    train.depends("CHECKOUT", "LATE")
    g = layout_graph(analyse_dependencies(train.uow, actor(Role.VIEWER), pi_id=train.pi))
    assert [r.label for r in g.rows] == ["Falcon", "Kestrel", "Osprey"]
    assert [c.label for c in g.columns] == ["I1", "I2", "I3", "I4", "IP"]
    box = {n.item.key: n for n in g.nodes}
    column = {c.label: c for c in g.columns}
    for key, label in (("API", "I1"), ("CHECKOUT", "I3"), ("LATE", "I4")):
        assert column[label].x <= box[key].x < column[label].x + column[label].width
    assert box["API"].y < box["CHECKOUT"].y < box["LATE"].y
    edges = {(e.dependency.provider.key, e.dependency.consumer.key): e for e in g.edges}
    assert "late" in edges[("LATE", "CHECKOUT")].classes.split()
    assert edges[("API", "CHECKOUT")].d.startswith(f"M{box['API'].x + box['API'].width:.1f}")


def test_a_long_title_is_cut_to_fit_its_box(train):
    train.item("API", "Falcon", "I1", title="A very long title " * 10)
    train.item("USE", "Kestrel", "I2")
    train.depends("USE", "API")
    g = layout_graph(analyse_dependencies(train.uow, actor(Role.VIEWER), pi_id=train.pi))
    label = next(n.label for n in g.nodes if n.item.key == "API")
    assert label.startswith("API A very long") and label.endswith("…")
    assert len(label) < 60
