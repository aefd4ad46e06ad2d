"""Rate limits in the cache (Redis in production, so that every app server shares them),
with no third party: fixed windows counted with an atomic increment.

A refusal costs one cache round trip per rule and no form parsing. The client's address
is REMOTE_ADDR, or, behind reverse proxies listed in TRUSTED_PROXIES, the last address in
X-Forwarded-For that is not one of them: a client cannot choose its own address.

What is counted (an address, a network, an e-mail domain, an account) is never written
into a key: keys hold its keyed hash (the pepper's HMAC), so that the cache, which Redis
may write to disk, names no one.
"""

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
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in settings.TRUSTED_PROXY_NETWORKS)


def client_ip(request) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    if not _trusted(address):
        return address
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([hop for hop in forwarded if hop]):
        if not _trusted(hop):
            return hop
    return address


def network_of(address: str) -> str:
    """The /24 (IPv4) or /48 (IPv6) an address belongs to: one household, office or ISP
    customer usually stays inside it, while a bot farm rarely does."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "invalid"
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def _pseudonym(rule: Rule, value: str) -> str:
    # 24 hex digits: a collision between two visitors is out of reach, and keys stay short.
    return keyed_hash("ratelimit", rule.name, value)[:24]


def _count(rule: Rule, key: str, now: float) -> tuple[int, int]:
    """Adds one to the counter of `key` in the current window of `rule`; returns the new
    count and the seconds until the window turns over."""
    window = int(now // rule.window)
    key = f"{key}:{window}"
    cache.add(key, 0, rule.window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: start the window again
        cache.set(key, 1, rule.window + 5)
        count = 1
    return count, int((window + 1) * rule.window - now) + 1


def hit(rule: Rule, value: str, *, now: float | None = None) -> Refusal | None:
    """Counts one attempt for `value` under `rule`; a Refusal once over the limit."""
    count, retry_after = _count(
        rule, f"rl:{rule.name}:{_pseudonym(rule, value)}", time.time() if now is None else now
    )
    return Refusal(rule.name, retry_after) if count > rule.limit else None


def hit_distinct(
    rule: Rule, group: str, member: str, *, now: float | None = None
) -> Refusal | None:
    """Counts distinct members of `group` in the window (e.g. addresses of a network);
    refuses a new member once `rule.limit` members were seen. Members already seen are
    not refused here: their own per-member rules apply."""
    now = time.time() if now is None else now
    group = _pseudonym(rule, group)
    seen = f"rl:{rule.name}:{group}:{int(now // rule.window)}:{_pseudonym(rule, member)}"
    if not cache.add(seen, 1, rule.window + 5):
        return None
    count, retry_after = _count(rule, f"rl:{rule.name}:{group}", now)
    return Refusal(rule.name, retry_after) if count > rule.limit else None


def check(rules_and_values: list[tuple[Rule, str]]) -> Refusal | None:
    """Counts the attempt under every rule and returns the refusal that lasts longest."""
    refusals = [refusal for rule, value in rules_and_values if (refusal := hit(rule, value))]
    return max(refusals, key=lambda refusal: refusal.retry_after, default=None)


def refusal_response(request, refusal: Refusal, template: str, context: dict | None = None):
    """The 429 page of a refusal: `minutes` to wait in its context, Retry-After set."""
    minutes = max(1, -(-refusal.retry_after // 60))
    context = (context or {}) | {"minutes": minutes}
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(refusal.retry_after)
    return response
