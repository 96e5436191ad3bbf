"""The retrying JSON client, over real HTTP to a local server."""

import base64
import socket

import pytest

from tests.trackers import JiraServer, serve
from trainmaster.domain.errors import Conflict, Invalid, NotFound
from trainmaster.integrations.http import Credentials, RetryingClient, RetryPolicy


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def jira():
    fake = JiraServer()
    with serve(fake) as url:
        yield fake, url


def client(url, sleeps, **kw):
    return RetryingClient(url, Credentials("secret-token", "alice@example.org"),
                          policy=RetryPolicy(sleep=sleeps, **kw))


def test_a_429_is_retried_after_the_servers_retry_after(jira):
    fake, url = jira
    fake.throttle("/rest/api/3/myself", times=2, retry_after="3")
    sleeps = Sleeps()
    with client(url, sleeps) as http:
        me = http.get_json("/rest/api/3/myself")
    assert me["timeZone"] == "Europe/Berlin"
    assert sleeps == [3.0, 3.0]
    assert fake.paths("/rest/api/3/myself") == ["/rest/api/3/myself"] * 3


def test_backoff_doubles_and_stops_after_the_attempts_allowed(jira):
    fake, url = jira
    fake.throttle("/rest/api/3/field", times=10, status=503, retry_after="")
    sleeps = Sleeps()
    with client(url, sleeps, attempts=4, backoff=0.5) as http, \
            pytest.raises(Conflict, match="HTTP 503.*gave up after retrying"):
        http.get_json("/rest/api/3/field")
    assert sleeps == [0.5, 1.0, 2.0]
    assert len(fake.paths("/rest/api/3/field")) == 4


def test_a_dropped_connection_is_retried(jira):
    fake, url = jira
    fake.drop("/rest/api/3/myself")
    sleeps = Sleeps()
    with client(url, sleeps) as http:
        assert http.get_json("/rest/api/3/myself")["displayName"] == "Alice Rivera"
    assert len(sleeps) == 1


def test_a_server_that_never_answers_names_the_url():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]          # nothing listens on it after the block
    sleeps = Sleeps()
    with client(f"http://127.0.0.1:{port}", sleeps, attempts=3) as http, \
            pytest.raises(Invalid, match=f"127.0.0.1:{port}/rest/api/3/myself did not answer "
                                         "after 3 attempts") as caught:
        http.get_json("/rest/api/3/myself")
    assert caught.value.field == "url" and len(sleeps) == 2


def test_basic_credentials_are_sent_as_email_and_token(jira):
    fake, url = jira
    with client(url, Sleeps()) as http:
        http.get_json("/rest/api/3/myself")
    expected = base64.b64encode(b"alice@example.org:secret-token").decode()
    assert fake.headers[-1]["authorization"] == f"Basic {expected}"


def test_a_personal_access_token_is_sent_as_bearer(jira):
    fake, url = jira
    with RetryingClient(url, Credentials("pat-123")) as http:
        http.get_json("/rest/api/3/myself")
    assert fake.headers[-1]["authorization"] == "Bearer pat-123"


def test_a_missing_resource_is_not_found_with_the_servers_message(jira):
    _, url = jira
    with client(url, Sleeps()) as http, pytest.raises(NotFound, match="board cannot be viewed"):
        http.get_json("/rest/agile/1.0/board/99/configuration")


def test_a_rejected_query_is_invalid_with_the_servers_message(jira):
    _, url = jira
    with client(url, Sleeps()) as http, \
            pytest.raises(Invalid, match="HTTP 400: Error in the JQL Query") as caught:
        http.get_json("/rest/api/3/search/jql", {"jql": "assignee was alice"})
    assert caught.value.field == "query"


def test_a_url_that_is_not_http_is_refused():
    with pytest.raises(Invalid, match="not an http"):
        RetryingClient("ftp://example.org")


def test_an_http_date_in_retry_after_is_understood():
    from datetime import UTC, datetime, timedelta
    from email.utils import format_datetime

    import httpx
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=20), usegmt=True)
    response = httpx.Response(429, headers={"Retry-After": when})
    assert 15 <= RetryPolicy().wait(1, response) <= 20
