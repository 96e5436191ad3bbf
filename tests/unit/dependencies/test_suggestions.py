"""Suggested dependencies: found between teams, kept, accepted as requests or rejected."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.factories import AT, actor
from trainmaster.domain.access import Role, RoleGrant, User
from trainmaster.domain.dependency import Agreement
from trainmaster.domain.errors import Conflict, Forbidden, Invalid
from trainmaster.domain.suggestion import SuggestionStatus
from trainmaster.intelligence.embedding import LexicalEmbedder
from trainmaster.services import agreements, jobs, suggestions

BACKLOG = [
    ("PAY-1", "Falcon", "Refund endpoint in payments API v2",
     "Expose POST /refunds in the payments API v2 with idempotency keys."),
    ("PAY-2", "Falcon", "Ledger export to the data warehouse",
     "Nightly export of ledger entries as parquet files."),
    ("PAY-3", "Falcon", "Upgrade the PostgreSQL driver", "Move to psycopg 3 for pooling."),
    ("PAY-5", "Falcon", "Currency conversion rates feed",
     "Import daily ECB exchange rates into the rates table."),
    ("CHK-1", "Kestrel", "Refund button on the order page",
     "Customers ask for a refund from the order page. Needs the refund endpoint from the "
     "payments API v2."),
    ("CHK-2", "Kestrel", "Dark mode for checkout pages", "Offer a dark colour scheme."),
    ("CHK-4", "Kestrel", "Show prices in the shopper's currency",
     "Use the rates from PAY-5 to convert basket totals."),
    ("ANA-1", "Osprey", "Revenue dashboard",
     "Daily revenue per market. Blocked until the ledger export to the data warehouse is "
     "deployed."),
    ("ANA-2", "Osprey", "Fix typo in footer", "The footer says Copyrigth."),
    ("ANA-4", "Osprey", "Accessibility audit", "Check contrast and keyboard navigation."),
]


class CountingEmbedder:
    """The lexical embedder, counting the texts it is asked to embed."""

    def __init__(self) -> None:
        self.inner = LexicalEmbedder()
        self.model_id = self.inner.model_id
        self.texts = 0

    def embed(self, texts):
        self.texts += len(texts)
        return self.inner.embed(texts)


@pytest.fixture
def backlog(train):
    for key, team, title, text in BACKLOG:
        train.item(key, team, "I2", title=title, description=text)
    return train


def run(train, who=None, **options):
    options = {"pi_id": train.pi, "cache_dir": None, "at": AT, "embedder": LexicalEmbedder(),
               **options}
    return suggestions.suggest_dependencies(train.uow, who or actor(Role.PRODUCT_OWNER),
                                            **options)


def pairs(found):
    return {(v.consumer.key, v.provider.key) for v in found.suggestions}


def unordered(found):
    return {frozenset((v.consumer.key, v.provider.key)) for v in found.suggestions}


def test_likely_dependencies_between_teams_are_found_with_reasons(backlog):
    found = run(backlog)
    assert ("CHK-1", "PAY-1") in pairs(found)
    assert frozenset(("CHK-4", "PAY-5")) in unordered(found)   # direction not stated
    chk1 = next(v for v in found.suggestions if v.consumer.key == "CHK-1"
                and v.provider.key == "PAY-1")
    assert any("PAY-1" in r or "refund" in r for r in chk1.suggestion.reasons)
    assert chk1.consumer_team == "Kestrel" and chk1.provider_team == "Falcon"
    scores = [v.suggestion.score for v in found.suggestions]
    assert scores == sorted(scores, reverse=True)
    assert all(v.consumer.team_id != v.provider.team_id for v in found.suggestions)
    assert found.run.items == len(BACKLOG) and found.run.proposed == len(found.suggestions)


def test_recorded_dependencies_are_not_proposed(backlog):
    backlog.depends("PAY-1", "CHK-1")      # recorded the other way round
    assert frozenset(("CHK-1", "PAY-1")) not in unordered(run(backlog))


def test_a_rejected_pair_never_comes_back(backlog):
    first = run(backlog)
    target = next(v.suggestion for v in first.suggestions
                  if {v.consumer.key, v.provider.key} == {"CHK-4", "PAY-5"})
    rejected = suggestions.reject_suggestion(backlog.uow, actor(Role.PRODUCT_OWNER),
                                             target.id, at=AT)
    assert rejected.suggestion.status is SuggestionStatus.REJECTED
    assert {rejected.consumer.key, rejected.provider.key} == {"CHK-4", "PAY-5"}
    again = run(backlog, at=AT + timedelta(hours=1))
    assert frozenset(("CHK-4", "PAY-5")) not in unordered(again)
    assert again.rejected == 1


def test_accepting_asks_the_providing_team_for_the_dependency(backlog):
    found = run(backlog)
    target = next(v.suggestion for v in found.suggestions
                  if (v.consumer.key, v.provider.key) == ("CHK-1", "PAY-1"))
    done = suggestions.accept_suggestion(backlog.uow, actor(Role.PRODUCT_OWNER), target.id,
                                         at=AT)
    assert done.suggestion.status is SuggestionStatus.ACCEPTED
    record = agreements.show_dependency(backlog.uow, actor(Role.VIEWER),
                                        done.suggestion.dependency_id)
    assert (record.consumer.key, record.provider.key) == ("CHK-1", "PAY-1")
    assert record.dependency.agreement is Agreement.REQUESTED
    assert record.dependency.description.startswith("Suggested: ")
    assert "suggestions" in record.history[0].note
    again = run(backlog, at=AT + timedelta(hours=1))
    assert frozenset(("CHK-1", "PAY-1")) not in unordered(again)
    assert again.accepted == 1
    with pytest.raises(Conflict, match="already accepted"):
        suggestions.accept_suggestion(backlog.uow, actor(Role.PRODUCT_OWNER), target.id, at=AT)


def test_accepting_a_pair_recorded_meanwhile_keeps_its_agreement(backlog):
    found = run(backlog)
    target = next(v.suggestion for v in found.suggestions
                  if (v.consumer.key, v.provider.key) == ("CHK-1", "PAY-1"))
    dep_id = backlog.depends("CHK-1", "PAY-1")
    agreements.answer_dependency(backlog.uow, actor(Role.PRODUCT_OWNER), dep_id, "accepted",
                                 at=AT)
    done = suggestions.accept_suggestion(backlog.uow, actor(Role.PRODUCT_OWNER), target.id,
                                         at=AT)
    assert done.suggestion.dependency_id == dep_id
    assert backlog.uow.dependencies.get(dep_id).agreement is Agreement.ACCEPTED


def test_done_items_and_items_without_a_team_are_left_out(backlog):
    backlog.item("DONE-1", "Kestrel", "I1", title="Refund endpoint done", status="done")
    backlog.add("items", {"art_id": backlog.art, "level": "feature", "key": "NOTEAM-1",
                          "title": "Refund endpoint orphan", "pi_id": backlog.pi})
    read = suggestions.read_backlog(backlog.uow, actor(Role.PRODUCT_OWNER), pi_id=backlog.pi)
    assert {t.key for t in read.texts} == {key for key, *_ in BACKLOG}


def test_an_art_backlog_leaves_out_closed_pis(backlog):
    backlog.uow.pis.get(backlog.pis["PI 26.5"]).state = "closed"
    backlog.uow.commit()
    backlog.item("OLD-1", "Osprey", "I1", pi="PI 26.5")
    backlog.item("LATER-1", "Osprey", None, pi="")
    read = suggestions.read_backlog(backlog.uow, actor(Role.PRODUCT_OWNER), art_id=backlog.art)
    keys = {t.key for t in read.texts}
    assert "LATER-1" in keys and "OLD-1" not in keys and "PAY-1" in keys


def test_a_new_run_replaces_the_open_proposals_of_its_scope(backlog):
    run(backlog)
    second = run(backlog, at=AT + timedelta(hours=1))
    proposed = backlog.uow.dependency_suggestions.find(status="proposed")
    assert {s.run_id for s in proposed} == {second.run.id}
    assert len(proposed) == len(second.suggestions)


def test_a_viewer_may_neither_run_nor_decide(backlog):
    with pytest.raises(Forbidden):
        run(backlog, who=actor(Role.VIEWER))
    found = run(backlog)
    with pytest.raises(Forbidden):
        suggestions.reject_suggestion(backlog.uow, actor(Role.VIEWER),
                                      found.suggestions[0].suggestion.id, at=AT)
    assert len(suggestions.list_suggestions(backlog.uow, actor(Role.VIEWER),
                                            pi_id=backlog.pi).suggestions) > 0


def test_embeddings_are_cached_in_the_folder_the_edge_gives(backlog, tmp_path):
    embedder = CountingEmbedder()
    run(backlog, embedder=embedder, cache_dir=tmp_path)
    assert embedder.texts == len(BACKLOG)
    assert (tmp_path / suggestions.CACHE_FILE).is_file()
    run(backlog, embedder=embedder, cache_dir=tmp_path)
    assert embedder.texts == len(BACKLOG)          # nothing embedded the second time


def _user(train, role: Role) -> int:
    user = train.uow.users.add(User(username="pat"))
    train.uow.role_grants.add(RoleGrant(user_id=user.id, art_id=train.art, role=role))
    train.uow.commit()
    return user.id


def test_a_small_backlog_runs_at_once_and_a_big_one_queues_a_job(backlog, monkeypatch,
                                                                   tmp_path):
    who = actor(Role.PRODUCT_OWNER, user_id=_user(backlog, Role.PRODUCT_OWNER))
    now = suggestions.request_suggestions(backlog.uow, who, pi_id=backlog.pi,
                                          cache_dir=tmp_path, at=AT, embedder=LexicalEmbedder())
    assert now.job is None and now.result.suggestions
    monkeypatch.setattr(suggestions, "INLINE_TEXTS", -1)
    queued = suggestions.request_suggestions(backlog.uow, who, pi_id=backlog.pi,
                                             cache_dir=tmp_path, at=AT,
                                             embedder=LexicalEmbedder())
    assert queued.result is None and queued.job.kind == suggestions.JOB_KIND
    assert queued.job.created_by == who.user_id
    shares = []
    monkeypatch.setitem(suggestions._embedders, True, LexicalEmbedder())
    context = jobs.JobContext(lambda: backlog.uow, lambda: AT + timedelta(hours=1),
                              lambda share, message: shares.append(share),
                              user_id=queued.job.created_by, data_dir=tmp_path)
    result = suggestions.run_suggestion_job(context, dict(queued.job.payload))
    assert result["proposed"] > 0 and result["items"] == len(BACKLOG)
    assert shares == sorted(shares) and shares[-1] >= 0.85
    latest = suggestions.list_suggestions(backlog.uow, who, pi_id=backlog.pi)
    assert latest.run.id == result["run_id"] and latest.run.by_user_id == who.user_id


def test_job_progress_maps_the_stages_onto_one_growing_share():
    reported = []
    progress = suggestions.job_progress(lambda share, message: reported.append((share, message)))
    for done in range(0, 101):
        progress("embedding", done, 100)
    progress("scoring", 1, 1)
    shares = [s for s, _ in reported]
    assert shares == sorted(shares) and len(reported) < 60
    assert reported[-1] == (pytest.approx(0.95), "scoring 1/1")


def test_a_run_can_look_at_features_only(backlog):
    backlog.item("ST-1", "Kestrel", "I2", level="story", title="Refund endpoint client",
                 description="Call the refund endpoint of the payments API v2.")
    both = suggestions.read_backlog(backlog.uow, actor(Role.PRODUCT_OWNER), pi_id=backlog.pi)
    features = suggestions.read_backlog(backlog.uow, actor(Role.PRODUCT_OWNER),
                                        pi_id=backlog.pi, levels=["feature"])
    assert "ST-1" in {t.key for t in both.texts}
    assert "ST-1" not in {t.key for t in features.texts}
    with pytest.raises(Invalid):
        suggestions.read_backlog(backlog.uow, actor(Role.PRODUCT_OWNER), pi_id=backlog.pi,
                                 levels=["epic"])


def test_a_suggestion_is_decided_once_and_never_pairs_an_item_with_itself():
    from trainmaster.domain.suggestion import DependencySuggestion

    with pytest.raises(Invalid):
        DependencySuggestion(art_id=1, consumer_id=3, provider_id=3, score=1.0)
    s = DependencySuggestion(art_id=1, consumer_id=3, provider_id=4, score=1.0, id=9)
    s.reject(at=AT, by_user_id=None)
    assert s.pair == frozenset({3, 4}) and s.decided_at == AT
    with pytest.raises(Conflict, match="already rejected"):
        s.accept(at=AT, by_user_id=None, dependency_id=1)
