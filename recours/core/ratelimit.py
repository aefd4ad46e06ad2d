"""Rate limits in the cache (Redis in production, so that every app server shares them),
with no third party: fixed windows counted with an atomic increment.

Every rule a request is counted under costs one round trip together (a Lua script on
Redis), and a refusal needs no form parsing. The client's address
is REMOTE_ADDR, or, behind reverse proxies listed in TRUSTED_PROXIES, the last address in
X-Forwarded-For that is not one of them: a client cannot choose its own address.

What is counted (an address, a network, an e-mail domain, an account) is never written
into a key: keys hold its keyed hash (the pepper's HMAC), so that the cache, which Redis
may write to disk, names no one.
"""

import functools
import ipaddress
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from recours.core.crypto import keyed_hash


@dataclass(frozen=True)
class Rule:
    name: str
    limit: int
    window: int  # seconds


@dataclass(frozen=True)
class Refusal:
    rule: str
    retry_after: int


def _trusted(address: str) -> bool:
    if not settings.TRUSTED_PROXY_NETWORKS:
        return False
    ip = _ip(address)
    return ip is not None and any(ip in network for network in settings.TRUSTED_PROXY_NETWORKS)


# Parsing an address is most of what the checks of a request cost, and a client sends
# several requests from one address: parsed once per process for the latest addresses.
@functools.lru_cache(maxsize=4096)
def _ip(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(address)
    except ValueError:
        return None


def client_ip(request) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    if not _trusted(address):
        return address
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([hop for hop in forwarded if hop]):
        if not _trusted(hop):
            return hop
    return address


@functools.lru_cache(maxsize=4096)
def network_of(address: str) -> str:
    """The /24 (IPv4) or /48 (IPv6) an address belongs to: one household, office or ISP
    customer usually stays inside it, while a bot farm rarely does."""
    ip = _ip(address)
    if ip is None:
        return "invalid"
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def _pseudonym(rule: Rule, value: str) -> str:
    # 24 hex digits: a collision between two visitors is out of reach, and keys stay short.
    return keyed_hash("ratelimit", rule.name, value)[:24]


# Every counter of a request in one round trip to Redis: for each, add one (the window's
# first attempt also sets its expiry); for a distinct-member counter, only when the member
# is new in the window (else 0, never a refusal). KEYS: the counters; ARGV: for each, its
# lifetime in seconds, then for each, the key of its "seen" marker or "" for a plain one.
COUNT_SCRIPT = """
local out = {}
local n = #KEYS
for i = 1, n do
  local ttl = tonumber(ARGV[i])
  local seen = ARGV[n + i]
  if seen == '' or redis.call('SET', seen, 1, 'NX', 'EX', ttl) then
    local count = redis.call('INCR', KEYS[i])
    if count == 1 then redis.call('EXPIRE', KEYS[i], ttl) end
    out[i] = count
  else
    out[i] = 0
  end
end
return out
"""


@dataclass(frozen=True)
class _Counter:
    rule: Rule
    key: str  # the window's counter
    seen: str  # the member's marker in the window, for a distinct count; else ""
    retry_after: int


def _counter(rule: Rule, value: str, now: float, member: str | None = None) -> _Counter:
    window = int(now // rule.window)
    base = f"rl:{rule.name}:{_pseudonym(rule, value)}"
    seen = f"{base}:{window}:{_pseudonym(rule, member)}" if member is not None else ""
    retry_after = int((window + 1) * rule.window - now) + 1
    return _Counter(rule, f"{base}:{window}", seen, retry_after)


def _counts(counters: list[_Counter]) -> list[int]:
    """Adds one to each counter; returns the new counts (0: a member already seen)."""
    if not counters:
        return []
    if hasattr(cache, "script"):  # Redis: one round trip for them all
        make = cache.make_and_validate_key
        return cache.script(COUNT_SCRIPT)(
            keys=[make(c.key) for c in counters],
            args=[c.rule.window + 5 for c in counters]
            + [make(c.seen) if c.seen else "" for c in counters],
        )
    return [_count_one(c) for c in counters]


def _count_one(counter: _Counter) -> int:
    lifetime = counter.rule.window + 5
    if counter.seen and not cache.add(counter.seen, 1, lifetime):
        return 0
    cache.add(counter.key, 0, lifetime)
    try:
        return cache.incr(counter.key)
    except ValueError:  # expired between add and incr: start the window again
        cache.set(counter.key, 1, lifetime)
        return 1


def _refusals(counters: list[_Counter]) -> list[Refusal | None]:
    """Counts every attempt; for each counter, a Refusal if its rule is over."""
    return [
        Refusal(c.rule.name, c.retry_after) if count > c.rule.limit else None
        for c, count in zip(counters, _counts(counters), strict=True)
    ]


def _refusal(counters: list[_Counter]) -> Refusal | None:
    """Counts every attempt; the refusal that lasts longest, if any rule is over."""
    refusals = [refusal for refusal in _refusals(counters) if refusal]
    return max(refusals, key=lambda refusal: refusal.retry_after, default=None)


def hit(rule: Rule, value: str, *, now: float | None = None) -> Refusal | None:
    """Counts one attempt for `value` under `rule`; a Refusal once over the limit."""
    return _refusal([_counter(rule, value, time.time() if now is None else now)])


def hits(rule: Rule, values: list[str]) -> list[Refusal | None]:
    """Counts one attempt for each value under `rule`, in one round trip; for each, a
    Refusal once over the limit."""
    now = time.time()
    return _refusals([_counter(rule, value, now) for value in values])


def check(
    rules_and_values: list[tuple[Rule, str]],
    *,
    distinct: list[tuple[Rule, str, str]] = (),
    now: float | None = None,
) -> Refusal | None:
    """Counts the attempt under every rule (and every distinct-member rule: rule, group,
    member) in one round trip, and returns the refusal that lasts longest."""
    now = time.time() if now is None else now
    counters = [_counter(rule, value, now) for rule, value in rules_and_values]
    counters += [_counter(rule, group, now, member) for rule, group, member in distinct]
    return _refusal(counters)


def refusal_response(request, refusal: Refusal, template: str, context: dict | None = None):
    """The 429 page of a refusal: `minutes` to wait in its context, Retry-After set."""
    minutes = max(1, -(-refusal.retry_after // 60))
    context = (context or {}) | {"minutes": minutes}
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(refusal.retry_after)
    return response
