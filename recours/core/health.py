"""Is this process up, and can it serve? For load balancers, orchestrators and the host's
monitoring. The public answers say yes or no and nothing else; `manage.py health` and the
metrics (behind a token) say why."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from recours.core.models import OutboxEmail
from recours.core.worker import STEPS

_migrations_applied = False


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def _database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        return Check("database", False, f"unreachable: {type(exc).__name__}")
    return Check("database", True, connection.vendor)


def _cache() -> Check:
    key = "health:probe"
    try:
        cache.set(key, "ok", 30)
        ok = cache.get(key) == "ok"
    except Exception as exc:  # noqa: BLE001 - any failure of the cache is the answer
        return Check("cache", False, f"unreachable: {type(exc).__name__}")
    return Check("cache", ok, settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1])


def _migrations() -> Check:
    global _migrations_applied
    if not _migrations_applied:  # once applied, they stay so for this process
        try:
            executor = MigrationExecutor(connection)
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError:
            return Check("migrations", False, "cannot be read")
        if pending:
            return Check("migrations", False, f"{len(pending)} not applied")
        _migrations_applied = True
    return Check("migrations", True, "all applied")


def oldest_waiting_mail_seconds() -> float | None:
    """How long the longest-waiting mail that is due (not deferred to later) has waited:
    a worker that keeps up leaves it at a few seconds."""
    now = timezone.now()
    oldest = (
        OutboxEmail.objects.filter(status=OutboxEmail.Status.QUEUED, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    return None if oldest is None else (now - oldest).total_seconds()


def _waited(name: str, oldest_seconds, waiting: str) -> Check:
    """Fails when the oldest item of a queue the worker drains has waited too long."""
    try:
        age = oldest_seconds()
    except DatabaseError:
        return Check(name, False, "cannot be read")
    limit = timedelta(minutes=settings.HEALTH_OUTBOX_MAX_MINUTES).total_seconds()
    if age is None:
        return Check(name, True, "empty")
    return Check(name, age <= limit, f"{waiting} for {age:.0f} s")


def readiness() -> list[Check]:
    database = _database()
    if not database.ok:
        return [database]
    outbox = _waited("outbox", oldest_waiting_mail_seconds, "oldest due mail waiting")
    steps = [_waited(step.name, step.oldest_waiting_seconds, "oldest waiting") for step in STEPS]
    return [database, _cache(), _migrations(), outbox, *steps]


def ready() -> bool:
    return all(check.ok for check in readiness())
