"""The micro-cache in front of the middleware stack (core/microcache.py): what it replays,
to whom, with which headers, and when it lets go."""

import json
from io import BytesIO
from urllib.parse import unquote_to_bytes

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from recours.campaigns.models import Campaign
from recours.campaigns.share_counters import flush
from recours.core import metrics, microcache
from recours.testing import (
    WorkerClient,
    confirm_a_signer,
    link_from,
    queued_mails,
    record_received_signatures,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

# What differs between two answers of one URL whatever the cache: none of these is kept.
PER_ANSWER = {"Set-Cookie", "Content-Length", "Date"}


def count_url(campaign):
    return f"/{campaign.slug}/count.json"


def confirmed_in(response) -> int:
    return json.loads(response.content)["confirmed"]


def headers_of(response) -> dict:
    return {name: value for name, value in response.items() if name not in PER_ANSWER}


def forget_without_telling(campaign, confirmed: int) -> None:
    """A change made by another process: the row and the shared cache change, this
    process's micro-cache is not told."""
    Campaign.objects.filter(pk=campaign.pk).update(confirmed_count=confirmed)
    cache.clear()


def test_a_public_read_is_replayed_with_the_same_bytes_and_headers_and_no_query(client, campaign):
    first = client.get(count_url(campaign))
    with CaptureQueriesContext(connection) as queries:
        replayed = client.get(count_url(campaign))

    assert len(queries) == 0
    assert (replayed.status_code, replayed.content) == (200, first.content)
    assert headers_of(replayed) == headers_of(first)
    assert headers_of(replayed)["Content-Security-Policy"].startswith("default-src 'none'")
    assert replayed["X-Content-Type-Options"] == "nosniff"
    assert replayed["Content-Length"] == str(len(first.content))


def test_a_change_in_this_process_shows_at_once(client, campaign):
    assert confirmed_in(client.get(count_url(campaign))) == 0

    confirm_a_signer(campaign, 1)

    assert confirmed_in(client.get(count_url(campaign))) == 1


def test_a_change_in_another_process_shows_once_the_second_has_passed(
    client, campaign, monkeypatch
):
    now = microcache.time.monotonic()
    client.get(count_url(campaign))
    forget_without_telling(campaign, 7)

    assert confirmed_in(client.get(count_url(campaign))) == 0  # kept: at most a second old
    # The clock is moved rather than waited for.
    monkeypatch.setattr(microcache.time, "monotonic", lambda: now + 2)
    assert confirmed_in(client.get(count_url(campaign))) == 7


def test_a_write_through_this_process_drops_what_it_kept(client, campaign, sign_data):
    client.get(count_url(campaign))
    forget_without_telling(campaign, 5)

    refused = client.post(f"/{campaign.slug}/signer/", {})  # changes nothing, drops nothing
    assert refused.status_code == 400
    assert confirmed_in(client.get(count_url(campaign))) == 0
    # A signature waits for the worker and its confirmation: the request drops nothing.
    signed = Client().post(f"/{campaign.slug}/signer/", sign_data())
    assert signed.status_code == 302
    assert confirmed_in(client.get(count_url(campaign))) == 0
    record_received_signatures()
    confirmed = client.post(link_from(queued_mails()[0].body_text, "/confirmer/"))
    assert confirmed.status_code == 200
    assert confirmed_in(client.get(count_url(campaign))) == 6


def test_a_signed_in_visitor_always_gets_the_full_stack(admin_client, campaign):
    anonymous = Client()
    anonymous.get(count_url(campaign))
    forget_without_telling(campaign, 3)

    assert confirmed_in(admin_client.get(count_url(campaign))) == 3
    assert confirmed_in(anonymous.get(count_url(campaign))) == 0


def test_each_language_gets_its_own_answer(campaign):
    french = Client(HTTP_ACCEPT_LANGUAGE="fr")
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    badge = f"/{campaign.slug}/badge.svg"

    answers = [french.get(badge), english.get(badge), french.get(badge), english.get(badge)]

    assert [a["Content-Language"] for a in answers] == ["fr", "en", "fr", "en"]
    assert answers[2].content == answers[0].content != answers[1].content == answers[3].content


def test_the_campaign_page_is_replayed_with_each_visitors_own_clock(campaign, sign_data):
    first, second = WorkerClient(enforce_csrf_checks=True), WorkerClient(enforce_csrf_checks=True)
    page = f"/{campaign.slug}/"
    kept = first.get(page)
    with CaptureQueriesContext(connection) as queries:
        answer = second.get(page)

    assert len(queries) == 0
    assert not answer.cookies and not kept.cookies  # no cookie to read or set
    clock = answer.content.decode().split('name="clock" value="')[1].split('"')[0]
    assert clock not in kept.content.decode()
    assert "@@" not in answer.content.decode()  # every slot filled
    # A visitor with no cookie signs.
    signed = second.post(page + "signer/", sign_data(), HTTP_ORIGIN="http://testserver")
    assert (signed.status_code, signed["Location"]) == (
        302,
        f"/{campaign.slug}/signer/verifiez-vos-mails/",
    )


def test_visits_through_a_share_link_are_counted_on_each_replay(client, campaign):
    for _ in range(3):
        client.get(f"/{campaign.slug}/", {"via": "mastodon"})
    assert flush([campaign.pk])["visits"] == 3


def test_replays_are_counted_in_the_metrics_under_their_view(client, campaign):
    before = metrics._rows()
    for _ in range(3):
        client.get(count_url(campaign))
    after = metrics._rows()
    label = next(label for label in after if "campaigns:count_json" in label)
    assert after[label][0] - before.get(label, [0])[0] == 3


def test_the_budget_keeps_the_newest_answers(client, campaign, settings):
    size = len(client.get(count_url(campaign)).content) + 512
    settings.MICROCACHE_MAX_BYTES = 2 * size
    microcache.forget()

    for number in range(5):
        client.get(count_url(campaign), {"n": number})

    assert [key[3] for key in microcache._entries] == ["n=3", "n=4"]
    assert microcache._bytes == 2 * size


def test_answers_that_must_not_be_shared_are_not_kept(client, campaign, settings):
    client.get(f"/{campaign.slug}/", HTTP_HOST="evil.example")  # refused host
    client.get(f"/{campaign.slug}/confidentialite/")  # not public
    client.get("/no-such-page/")
    client.head(count_url(campaign))
    client.get(count_url(campaign), HTTP_AUTHORIZATION="Bearer x")
    assert microcache._entries == {}

    settings.MICROCACHE_SECONDS = 0
    client.get(count_url(campaign))
    assert microcache._entries == {}


class Front:
    """The WSGI front (recours/wsgi.py) over an app that only records what reaches it:
    what the front answers itself, it answers without the app."""

    def __init__(self):
        self.reached = []
        self.front = microcache.MicroCacheFront(self._app)

    def _app(self, environ, start_response):
        self.reached.append((environ["REQUEST_METHOD"], environ["PATH_INFO"]))
        start_response("204 No Content", [])
        return [b""]

    def request(self, method: str, path: str, **extra) -> tuple[str, dict, bytes]:
        environ = {
            "REQUEST_METHOD": method,
            # As a WSGI server gives it: the path's bytes, each as one character.
            "PATH_INFO": unquote_to_bytes(path).decode("iso-8859-1"),
            "QUERY_STRING": "",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": BytesIO(),
            **extra,
        }
        answer = {}

        def start_response(status, headers):
            answer.update(status=status, headers=dict(headers))

        body = b"".join(self.front(environ, start_response))
        return answer["status"], answer["headers"], body


def test_the_front_replays_what_the_stack_kept_with_every_header(client, campaign):
    kept = client.get(count_url(campaign))
    front, before = Front(), metrics._rows()
    with CaptureQueriesContext(connection) as queries:
        status, headers, body = front.request("GET", count_url(campaign))

    assert (status, body, front.reached, len(queries)) == ("200 OK", kept.content, [], 0)
    assert {k: v for k, v in headers.items() if k not in PER_ANSWER} == headers_of(kept)
    for header in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
                   "Cross-Origin-Opener-Policy", "X-Frame-Options", "Permissions-Policy"):  # fmt: skip
        assert headers[header] == kept[header]
    assert headers["Content-Length"] == str(len(body))
    label = next(label for label in metrics._rows() if "campaigns:count_json" in label)
    assert metrics._rows()[label][0] - before.get(label, [0])[0] == 1


def test_the_front_fills_the_campaign_page_for_each_visitor(client, campaign):
    page = f"/{campaign.slug}/"
    client.get(page, {"via": "mastodon"})
    front = Front()

    answers = [front.request("GET", page, QUERY_STRING="via=mastodon")[2].decode() for _ in "ab"]

    clocks = {answer.split('name="clock" value="')[1].split('"')[0] for answer in answers}
    assert len(clocks) == 2 and front.reached == []
    assert all("@@" not in answer and 'value="mastodon"' in answer for answer in answers)
    assert flush([campaign.pk])["visits"] == 3  # the stack's view, then the front's two


def test_the_front_hands_the_app_everything_it_has_not_kept(client, campaign, settings):
    client.get(count_url(campaign))
    front = Front()

    front.request("POST", count_url(campaign))
    front.request("HEAD", count_url(campaign))
    front.request("GET", count_url(campaign), HTTP_COOKIE="sessionid=abc")
    front.request("GET", count_url(campaign), HTTP_AUTHORIZATION="Bearer x")
    front.request("GET", count_url(campaign), QUERY_STRING="n=1")  # another answer
    front.request("GET", "/caf%C3%A9/")  # the app reads the path as it was sent
    settings.MICROCACHE_SECONDS = 0
    front.request("GET", count_url(campaign))

    assert [method for method, _ in front.reached] == ["POST", "HEAD", *["GET"] * 5]
    assert front.reached[5][1] == "/caf\xc3\xa9/"  # untouched by the front's look
