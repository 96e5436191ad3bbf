"""The offline path: Jira and Azure DevOps CSV exports into the train, on both databases."""

from pathlib import Path

from tests.conftest import NOW
from trainmaster.domain.access import SYSTEM
from trainmaster.integrations.ado_csv import AzureCsvSource
from trainmaster.integrations.jira_csv import JiraCsvSource
from trainmaster.integrations.mapping import load_mapping
from trainmaster.services import imports

FIXTURES = Path(__file__).parents[1] / "fixtures"


def test_a_jira_csv_export_imports_and_reimports_without_duplicates(tm):
    mapping = load_mapping(FIXTURES / "jira" / "mapping.toml").mapping
    source = JiraCsvSource(FIXTURES / "jira" / "export_all_fields.csv", mapping)
    first = imports.run_import(tm.uow(), SYSTEM, mapping, source, at=NOW)
    assert first.created == {"epic": 1, "feature": 2, "story": 5}
    again = imports.run_import(tm.uow(), SYSTEM, mapping, source, at=NOW)
    assert again.created == {} and again.unchanged == 8
    with tm.uow() as uow:
        assert uow.items.count() == 8 and uow.dependencies.count() == 2
        osp2 = uow.items.first(key="OSP-2")
        assert [h.to_status for h in uow.status_changes.find(item_id=osp2.id, order_by="at")] \
            == ["To Do", "In Progress"]


def test_an_azure_tree_export_keeps_the_hierarchy(tm):
    mapping = load_mapping(FIXTURES / "azure" / "mapping.toml").mapping
    source = AzureCsvSource(FIXTURES / "azure" / "query_tree.csv", mapping)
    report = imports.run_import(tm.uow(), SYSTEM, mapping, source, at=NOW)
    assert report.created == {"epic": 1, "feature": 2, "story": 3}
    with tm.uow() as uow:
        items = {i.id: i for i in uow.items.find()}
        by_key = {i.key: i for i in items.values()}
        assert items[by_key["AB#111"].parent_id].key == "AB#101"
        assert items[by_key["AB#101"].parent_id].key == "AB#100"
