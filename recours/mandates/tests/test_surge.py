"""Races and crashes against the production stack (gunicorn, production settings) on
loopback, on SQLite and on PostgreSQL. Bounded in count and time."""

import os
import subprocess
import threading
import time
import uuid
from http.client import HTTPException

import pytest
from django.test import override_settings

from recours.core.crypto import keyed_hash
from recours.core.tests.appserver import PEPPER, AppServer, Client, sign_fields
from recours.core.tests.pgcluster import PrivateCluster, server_binaries
from recours.mandates.identity import canonical_email

# Each test starts gunicorn with 4 workers: run them one after another on one xdist worker.
pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("processes")]
SIGN = "/technopolice/signer/"
PAGE = "/technopolice/"


@pytest.fixture(params=["sqlite", "postgres"])
def server(request, tmp_path):
    database_url = ""
    name = None
    if request.param == "postgres":
        admin = os.environ.get("DATABASE_URL")
        if not admin:
            pytest.skip("needs DATABASE_URL (PostgreSQL)")
        name = f"recours_surge_{uuid.uuid4().hex[:8]}"
        subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
        database_url = admin.rsplit("/", 1)[0] + "/" + name
    app = AppServer(tmp_path, database_url=database_url).prepare().start()
    yield app
    app.stop()
    if name:
        subprocess.run(
            ["psql", os.environ["DATABASE_URL"], "-qc", f"DROP DATABASE {name}"], check=True
        )


def stored(app: AppServer, query: str) -> list[str]:
    script = (
        f"from recours.mandates.models import *; from recours.campaigns.models import *; {query}"
    )
    return app.manage("shell", "-c", script).strip().splitlines()[-1].split(",")


def email_hash(campaign_id: str, email: str) -> str:
    with override_settings(PEPPER=PEPPER):
        return keyed_hash("mandate-email", campaign_id, canonical_email(email))


def together(functions):
    barrier = threading.Barrier(len(functions))
    results = [None] * len(functions)

    def run(index, function):
        barrier.wait()
        try:
            results[index] = function()
        except OSError as exc:
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_200_concurrent_signatures_with_one_email_make_one_pending(server):
    clients = [Client(server.port, timeout=60) for _ in range(200)]  # slow when the machine is busy
    forms = [client.form(PAGE) for client in clients]
    time.sleep(2.1)

    results = together(
        [
            lambda c=c, f=f: c.post(SIGN, sign_fields(f, "same@example.org"))
            for c, f in zip(clients, forms, strict=True)
        ]
    )

    assert [r[:2] for r in results] == [(302, "/technopolice/signer/verifiez-vos-mails/")] * 200
    assert stored(server, "print(SignIntake.objects.count())") == ["200"]  # 200 forms
    assert server.record_signatures() == 200
    pending = stored(server, "print(Mandate.objects.filter(status='pending').count())")
    assert pending == ["1"]


def test_200_concurrent_confirmations_count_once(server, tmp_path):
    signer = Client(server.port)
    hidden = signer.form(PAGE)
    time.sleep(2.1)
    signer.post(SIGN, sign_fields(hidden, "once@example.org"))
    server.record_signatures()
    confirm = _confirm_path(server)  # from the queued mail, before any worker wipes it
    clients = [Client(server.port, timeout=60) for _ in range(200)]  # slow when the machine is busy
    forms = [client.form(confirm) for client in clients]  # the page with the button

    results = together(
        [lambda c=c, f=f: c.post(confirm, f) for c, f in zip(clients, forms, strict=True)]
    )

    statuses = sorted(r[0] for r in results)
    assert statuses == [200] + [410] * 199
    counts = stored(
        server,
        "c = Campaign.objects.get(); print(c.confirmed_count, "
        "Mandate.objects.filter(status='confirmed').count(), sep=',')",
    )
    assert counts == ["33", "33"]


def _confirm_path(server) -> str:
    token = server.manage(
        "shell",
        "-c",
        "from recours.core.models import OutboxEmail;"
        "import re; print(re.search(r'/technopolice/confirmer/[^/]+/', "
        "OutboxEmail.objects.order_by('-pk').first().content.body_text).group(0))",
    )
    return token.strip().splitlines()[-1]


def surge_with_a_crash(server: AppServer, crash) -> tuple[list[str], list[int]]:
    """Eight visitors sign in a loop; `crash(statuses)` runs 3.5 s in, with the list of
    statuses seen so far (it grows meanwhile). Returns the e-mails whose signature was
    acknowledged (302 to the check-your-mail page) and every status seen."""
    acknowledged, statuses, lock, stop = [], [], threading.Lock(), threading.Event()

    def visitor(number):
        client = Client(server.port, timeout=5)
        sent = 0
        while not stop.is_set() and sent < 60:
            try:
                batch = [client.form(PAGE) for _ in range(10)]
            # Server down (refused, or cut mid-answer), or 503 instead of the form.
            except (OSError, HTTPException, AssertionError):
                time.sleep(0.2)
                continue
            time.sleep(2.1)
            for hidden in batch:
                email = f"v{number}-{sent}@example.org"
                sent += 1
                try:
                    status, location, _ = client.post(SIGN, sign_fields(hidden, email))
                except (OSError, HTTPException):
                    continue  # no answer: not acknowledged, may or may not be stored
                with lock:
                    statuses.append(status)
                    if status == 302 and location.endswith("verifiez-vos-mails/"):
                        acknowledged.append(email)

    threads = [threading.Thread(target=visitor, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(3.5)
    crash(statuses)
    time.sleep(3)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    return acknowledged, statuses


def assert_nothing_acknowledged_was_lost(server: AppServer, acknowledged: list[str]):
    """Every acknowledged signature is stored (received, waiting for the worker), then
    recorded as a mandate once the worker has had its turn."""
    hashes_of = (
        "print(','.join([str(Campaign.objects.get().pk)] + "
        "list({}.objects.values_list('email_hash', flat=True))))"
    )
    campaign_id, *received = stored(server, hashes_of.format("SignIntake"))
    waiting = [e for e in acknowledged if email_hash(campaign_id, e) not in set(received)]
    server.record_signatures()
    campaign_id, *hashes = stored(server, hashes_of.format("Mandate"))
    assert stored(server, "print(SignIntake.objects.count())") == ["0"]
    missing = [e for e in acknowledged if email_hash(campaign_id, e) not in set(hashes)]
    # None recorded before the worker's turn: stored means in the intake.
    assert waiting == []
    counts = stored(
        server,
        "c = Campaign.objects.get(); print(c.confirmed_count, "
        "Mandate.objects.filter(status='confirmed').count(), sep=',')",
    )
    print(f"surge with a crash: {len(acknowledged)} acknowledged, {len(hashes)} stored")
    assert len(acknowledged) > 20
    assert missing == []
    assert counts == ["32", "32"]  # the demo's confirmed mandates, intact


def test_killing_the_app_server_mid_surge_loses_no_acknowledged_signature(server):
    def crash(statuses):
        server.kill()
        time.sleep(0.5)
        server.start()

    acknowledged, _ = surge_with_a_crash(server, crash)
    assert_nothing_acknowledged_was_lost(server, acknowledged)


@pytest.fixture
def private_postgres():
    if not os.environ.get("DATABASE_URL"):
        pytest.skip("PostgreSQL tests run when DATABASE_URL is set")
    if server_binaries() is None:
        pytest.fail("PostgreSQL's server binaries are missing (Debian package postgresql)")
    cluster = PrivateCluster().init().start()
    yield cluster
    cluster.destroy()


def test_killing_postgresql_mid_surge_loses_no_acknowledged_signature(private_postgres, tmp_path):
    """PostgreSQL commits with synchronous_commit=on: a signature is acknowledged only
    once its transaction is in the WAL on disk, so crash recovery brings it back. While
    the database is down, visitors get 503 with Retry-After, never a 500."""
    private_postgres.create_database("recours")
    app = AppServer(tmp_path, database_url=private_postgres.url("recours")).prepare().start()
    try:

        def crash(statuses):
            private_postgres.kill()
            # Down until signatures have arrived meanwhile (3 s usually is; a loaded
            # machine may need longer), 15 s at most.
            time.sleep(3)
            deadline = time.monotonic() + 12
            while 503 not in statuses and time.monotonic() < deadline:
                time.sleep(0.2)
            private_postgres.start()

        acknowledged, statuses = surge_with_a_crash(app, crash)
        assert_nothing_acknowledged_was_lost(app, acknowledged)
        print(f"statuses during the crash: { {s: statuses.count(s) for s in set(statuses)} }")
        assert 500 not in statuses
        assert set(statuses) == {302, 503}  # some arrived while it was down
    finally:
        app.stop()
