"""The rate-limit counters, on the local-memory cache and on Redis (one round trip for
every rule of a request, through a Lua script): the same answers on both."""

import pytest
from django.core.cache import caches

from recours.core import ratelimit
from recours.core.ratelimit import Rule, check, hit

pytestmark = pytest.mark.integration
BURST, HOUR, NETWORK = Rule("t-burst", 3, 60), Rule("t-hour", 5, 3600), Rule("t-net", 2, 600)


@pytest.fixture(params=["locmem", "redis"])
def backend(request, settings):
    if request.param == "redis":
        import redis

        url = "redis://127.0.0.1:6379/11"
        try:
            redis.Redis.from_url(url).ping()
        except redis.exceptions.ConnectionError:
            pytest.skip("Redis is not running on 127.0.0.1:6379")
        settings.CACHES = {
            "default": {
                "BACKEND": "recours.core.caches.RedisCache",
                "LOCATION": url,
                "KEY_PREFIX": settings.CACHES["default"]["KEY_PREFIX"],
            }
        }
    yield request.param
    caches["default"].clear() if request.param == "redis" else None


def test_a_rule_refuses_past_its_limit_until_the_window_turns(backend):
    now = 1_000_000.0
    assert [hit(BURST, "1.2.3.4", now=now) for _ in range(3)] == [None] * 3
    refusal = hit(BURST, "1.2.3.4", now=now)
    assert refusal.rule == "t-burst" and refusal.retry_after == 21
    assert hit(BURST, "5.6.7.8", now=now) is None  # another address, its own count
    assert hit(BURST, "1.2.3.4", now=now + 60) is None  # the next window


def test_several_rules_and_distinct_members_in_one_call(backend):
    now = 2_000_000.0

    def attempt(address):
        return check(
            [(BURST, address), (HOUR, address)],
            distinct=[(NETWORK, "10.0.0.0/24", address)],
            now=now,
        )

    assert attempt("10.0.0.1") is None
    assert attempt("10.0.0.1") is None  # the same member counts once for the network
    assert attempt("10.0.0.2") is None
    refusal = attempt("10.0.0.3")  # a third address of the network
    assert refusal.rule == "t-net"
    assert attempt("10.0.0.1") is None  # its third attempt in the minute: the limit
    assert attempt("10.0.0.1").rule == "t-burst"  # its fourth
    if backend == "redis":
        assert hasattr(caches["default"], "script")


def test_redis_counts_every_rule_in_one_round_trip(backend, monkeypatch):
    if backend != "redis":
        pytest.skip("the round trips are Redis's")
    calls = []
    original = ratelimit._counts
    monkeypatch.setattr(ratelimit, "_counts", lambda counters: calls.append(len(counters))
                        or original(counters))  # fmt: skip
    check([(BURST, "a"), (HOUR, "a")], distinct=[(NETWORK, "n", "a")])
    assert calls == [3]
    client = caches["default"]._cache.get_client(write=True)
    assert client is caches["default"]._cache.get_client(write=True)  # one client, reused
