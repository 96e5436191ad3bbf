"""Storage behind the dependency analysis and suggestions, on SQLite and PostgreSQL."""

from tests.e2e.conftest import seed_train
from tests.factories import AT
from trainmaster.domain.access import SYSTEM
from trainmaster.domain.suggestion import DependencySuggestion, SuggestionStatus
from trainmaster.domain.work_item import ItemLevel
from trainmaster.services import catalog


def test_columns_reads_plain_values_of_matching_rows_in_id_order(tm):
    train = seed_train(tm)
    other = catalog.create_entity(tm.uow(), SYSTEM, "items", {
        "art_id": train["art"], "level": "story", "key": "PAY-2", "title": "Link",
        "team_id": train["team"], "points": 3}, at=AT)
    with tm.uow() as uow:
        cols = uow.items.columns(("id", "key", "level", "points"),
                                 level=["feature", "story"], art_id=train["art"])
        only = uow.items.columns(("key",), id=[other.id])
    assert cols["id"] == [train["feature"], other.id]
    assert cols["key"] == ["PAY-1", "PAY-2"]
    assert cols["level"] == [ItemLevel.FEATURE, ItemLevel.STORY]
    assert cols["points"] == [None, 3.0]
    assert only == {"key": ["PAY-2"]}


def test_a_suggestion_keeps_its_reasons_and_outlives_its_pi_but_not_its_items(tm):
    train = seed_train(tm)
    other = catalog.create_entity(tm.uow(), SYSTEM, "items", {
        "art_id": train["art"], "level": "feature", "key": "PAY-2", "title": "Refunds",
        "team_id": train["team"]}, at=AT)
    with tm.uow() as uow:
        uow.dependency_suggestions.add(DependencySuggestion(
            art_id=train["art"], pi_id=train["pi"], consumer_id=other.id,
            provider_id=train["feature"], score=7.5, reasons=["PAY-2 mentions PAY-1"],
            created_at=AT))
        uow.commit()
    catalog.delete_entity(tm.uow(), SYSTEM, "pis", train["pi"])
    with tm.uow() as uow:
        (kept,) = uow.dependency_suggestions.find()
        assert (kept.pi_id, kept.reasons, kept.status) == (
            None, ["PAY-2 mentions PAY-1"], SuggestionStatus.PROPOSED)
    catalog.delete_entity(tm.uow(), SYSTEM, "items", other.id)
    with tm.uow() as uow:
        assert uow.dependency_suggestions.find() == []
