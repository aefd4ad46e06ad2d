import os
import time

import pytest
from django.test import override_settings
from django.urls import reverse

from recours.core.ratelimit import Rule, client_ip, hit, network_of
from recours.mandates.models import Mandate
from recours.testing import old_clock, queued_mails, solved_pow

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


class FakeRequest:
    def __init__(self, remote, forwarded=""):
        self.META = {"REMOTE_ADDR": remote, "HTTP_X_FORWARDED_FOR": forwarded}


@pytest.mark.unit
@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("203.0.113.77", "203.0.113.0/24"),
        ("2001:db8:abcd:12:1::9", "2001:db8:abcd::/48"),
        ("not an ip", "invalid"),
    ],
)
def test_network_of(address, network):
    assert network_of(address) == network


@pytest.mark.unit
def test_forwarded_for_is_believed_only_from_trusted_proxies(settings):
    import ipaddress

    settings.TRUSTED_PROXY_NETWORKS = [ipaddress.ip_network("10.0.0.0/8")]

    assert client_ip(FakeRequest("198.51.100.9", "1.2.3.4")) == "198.51.100.9"
    assert client_ip(FakeRequest("10.0.0.2", "1.2.3.4, 203.0.113.5, 10.0.0.7")) == "203.0.113.5"
    assert client_ip(FakeRequest("10.0.0.2", "")) == "10.0.0.2"


def test_fixed_window_refuses_past_the_limit_and_says_when():
    rule = Rule("t", 3, 60)
    start = 1_000_000_039.0  # 41 s before its one-minute window ends

    results = [hit(rule, "x", now=start) for _ in range(4)]

    assert results[:3] == [None, None, None]
    assert results[3].retry_after == 42
    assert hit(rule, "x", now=start + 41) is None  # the next window


def sign(client, campaign, sign_data, address, email, *, proof: str | None = None):
    """A signature from a browser without JavaScript, or with a solved proof of work."""
    extra = {"altcha": proof} if proof else {}
    return client.post(
        reverse("mandates:sign", args=[campaign.slug]),
        sign_data(email=email, clock=old_clock(), **extra),
        REMOTE_ADDR=address,
    )


def test_a_burst_from_one_address_is_refused_with_a_time_to_come_back(client, campaign, sign_data):
    statuses = [
        sign(
            client, campaign, sign_data, "198.51.100.7", f"p{i}@example.org", proof=solved_pow()
        ).status_code
        for i in range(7)
    ]

    refused = sign(client, campaign, sign_data, "198.51.100.7", "late@example.org")
    assert statuses == [302] * 5 + [429] * 2
    assert refused["Retry-After"].isdigit()
    assert "Revenez dans 1 minute" in refused.content.decode()
    assert Mandate.objects.count() == 5


def test_without_a_proof_of_work_the_limits_are_stricter(client, campaign, sign_data):
    statuses = [
        sign(client, campaign, sign_data, "198.51.100.8", f"n{i}@example.org").status_code
        for i in range(5)
    ]

    assert statuses == [302] * 3 + [429] * 2
    assert Mandate.objects.count() == 3


def test_a_proof_counts_once_and_a_forged_one_not_at_all(client, campaign, sign_data):
    proof = solved_pow()
    tampered = solved_pow()[:-8] + "AAAAAAA="
    statuses = [
        sign(client, campaign, sign_data, "198.51.100.9", f"q{i}@example.org", proof=p).status_code
        for i, p in enumerate([proof] * 3 + [tampered] * 2)
    ]

    # The first counts as proved; the replays and forgeries fall under the stricter
    # limits (3 a minute), which the first proved signature did not use up.
    assert statuses == [302, 302, 302, 302, 429]


def test_the_challenge_endpoint_issues_signed_expiring_challenges(client, campaign):
    response = client.get(reverse("mandates:pow_challenge", args=[campaign.slug]))

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    challenge = response.json()
    assert challenge["parameters"]["algorithm"] == "PBKDF2/SHA-256"
    assert challenge["parameters"]["expiresAt"] > time.time() + 500
    assert len(challenge["signature"]) == 64
    assert client.get(reverse("mandates:pow_challenge", args=["nope"])).status_code == 404


@override_settings(
    SIGN_RATE_LIMITS={
        "ip-burst": (5, 60),
        "ip-hour": (30, 3600),
        "network": (120, 600),
        "domain": (3, 600),
        "recipient": (3, 86400),
        "nojs-ip-burst": (3, 60),
        "nojs-ip-hour": (10, 3600),
        "nojs-network": (120, 600),
    }
)
def test_a_flood_at_one_domain_is_refused(client, campaign, sign_data):
    statuses = [
        sign(client, campaign, sign_data, f"192.0.2.{i}", f"p{i}@flood.example").status_code
        for i in range(5)
    ]

    assert statuses == [302, 302, 302, 429, 429]


def test_bot_flood_gets_almost_nothing_through_and_a_neighbour_still_signs(
    client, campaign, sign_data
):
    """Attempts from five addresses of one /24, without proof of work (FLOOD_ATTEMPTS,
    2,000 by default; 10,000 let 15 through in 37 s here), then a person on the same
    network, also without JavaScript. Bounded: in-process requests only, no network."""
    bots = [f"203.0.113.{n}" for n in (10, 11, 12, 13, 14)]
    valid = sign_data()
    url = reverse("mandates:sign", args=[campaign.slug])
    attempts = int(os.environ.get("FLOOD_ATTEMPTS", "2000"))
    accepted = 0
    started = time.monotonic()
    for attempt in range(attempts):
        data = {**valid, "email": f"bot{attempt}@flood{attempt % 50}.example", "clock": old_clock()}
        response = client.post(url, data, REMOTE_ADDR=bots[attempt % len(bots)])
        accepted += response.status_code == 302
    elapsed = time.monotonic() - started

    neighbour = sign(client, campaign, sign_data, "203.0.113.99", "real@example.org")

    print(f"flood: {accepted} of {attempts} accepted in {elapsed:.1f} s")
    assert accepted <= 3 * 2 * len(bots)  # 3 a minute per address; the loop may span 2 windows
    assert neighbour.status_code == 302
    assert Mandate.objects.count() == accepted + 1


@pytest.fixture
def one_window(monkeypatch):
    """The rate limits' clock stopped 30 s into every window: a test that counts dozens of
    attempts must not see a window end halfway (the network's ends every ten minutes)."""
    from types import SimpleNamespace

    from recours.core import ratelimit

    stopped = time.time() // 86400 * 86400 + 30
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: stopped))


def test_a_bot_rotating_through_a_network_is_stopped(client, campaign, sign_data, one_window):
    statuses = [
        sign(
            client, campaign, sign_data, f"203.0.113.{n}", f"r{n}@example.org", proof=solved_pow()
        ).status_code
        for n in range(1, 71)
    ]

    assert statuses.count(302) == 64
    assert statuses[64:] == [429] * 6


def test_without_proof_a_bot_rotating_through_a_network_is_stopped_sooner(
    client, campaign, sign_data, one_window
):
    statuses = [
        sign(client, campaign, sign_data, f"203.0.113.{n}", f"s{n}@example.org").status_code
        for n in range(1, 21)
    ]

    assert statuses == [302] * 16 + [429] * 4


def test_one_address_gets_three_mails_a_day_whoever_signs_with_it(client, campaign, sign_data):
    """50 sign-ups with one victim's address from 50 networks used to send 50 mails,
    each carrying the attacker's text in the greeting."""
    for attempt in range(50):
        client.post(
            reverse("mandates:sign", args=[campaign.slug]),
            sign_data(given_names="Cliquez ici", clock=old_clock()),
            REMOTE_ADDR=f"192.0.{attempt}.10",
        )

    mails = queued_mails()
    assert len(mails) == 3
    assert Mandate.objects.count() == 1
    assert [m for m in mails if "Cliquez" in m.body_text + m.body_html + m.subject] == []


@pytest.mark.django_db
def test_a_solved_challenge_is_spent_for_every_process_without_redis(settings):
    """Each gunicorn worker has its own local memory: a replay sent to another worker
    used to prove again. Here another process is a fresh local-memory cache."""
    from recours.mandates.pow import proved

    payload = solved_pow()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "worker-1"}}  # fmt: skip
    first = proved(payload)
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "worker-2"}}  # fmt: skip
    replayed = proved(payload)

    assert (first, replayed) == (True, False)


@pytest.mark.parametrize(("proved", "counted"), [(False, [7, 1]), (True, [4, 1])])
def test_a_signature_counts_its_limits_in_one_round_trip_and_one_in_the_worker(
    client, campaign, sign_data, monkeypatch, proved, counted
):
    from recours.core import ratelimit

    calls = []
    original = ratelimit._counts
    monkeypatch.setattr(ratelimit, "_counts", lambda counters: calls.append(len(counters))
                        or original(counters))  # fmt: skip
    data = sign_data(altcha=solved_pow()) if proved else sign_data()

    response = client.post(reverse("mandates:sign", args=[campaign.slug]), data)

    assert response.status_code == 302
    # In the request, the sender's rules (and the stricter ones without a proof of work)
    # with the e-mail's domain; in the worker, the recipient's mails.
    assert calls == counted
