"""What the configured cache can be trusted with."""

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.db import transaction

from recours.core.crypto import sha256_hex


def cache_is_shared() -> bool:
    """Whether every process sees the same cache (Redis), or each its own memory (the
    local-memory cache of the embedded setup). Read at call time: tests swap caches."""
    return not settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")


def forget_now_and_after_commit(*keys: str) -> None:
    """Drops cached values derived from rows this transaction changes, all in one round
    trip to the cache each time. The delete now serves readers of this connection; the
    one after commit drops a value that a concurrent reader may have cached from the old
    rows in between."""
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def digest_key(prefix: str, parts) -> str:
    """The cache key of something rendered from `parts` (anything whose str() tells its
    values apart): short whatever they hold."""
    return f"{prefix}:" + sha256_hex("\x1f".join(map(str, parts)).encode())


class _ReusingClient(RedisCacheClient):
    """Django builds a new redis-py client for every cache call (a few tens of µs each,
    fifteen times in a signature); one per connection pool is enough, and is safe across
    threads (the pool hands out connections)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = super().get_client(key, write=write)
        return client


class RedisCache(DjangoRedisCache):
    """Django's Redis cache with one client per pool, and a way to run a Lua script on it
    (the rate limits count every rule of a request in one round trip)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusingClient
        self._scripts = {}

    def script(self, source: str):
        """A registered script (EVALSHA, loaded on first use) on the writing client."""
        script = self._scripts.get(source)
        if script is None:
            script = self._scripts[source] = self._cache.get_client(write=True).register_script(
                source
            )
        return script
