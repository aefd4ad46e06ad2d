"""Fixtures shared by every part's tests: an open campaign with its key pair, a signer's
form data, and helpers to read the outbox."""

import os
import shutil
import uuid
from pathlib import Path

import pytest
from django.test import Client

from recours.campaigns import share_counters
from recours.campaigns.domain import forget_held_campaigns
from recours.campaigns.models import Organisation
from recours.core import microcache
from recours.core.crypto import generate_keypair
from recours.testing import WorkerClient, make_campaign, old_clock, signed_in


@pytest.fixture(autouse=True)
def _own_cache(settings):
    """Each test gets a cache namespace of its own, so that tests running in parallel on
    one Redis never see or flush each other's keys."""
    namespace = uuid.uuid4().hex
    settings.CACHES = {
        "default": settings.CACHES["default"]
        | {
            "KEY_PREFIX": namespace,
            "LOCATION": (settings.CACHES["default"].get("LOCATION") or namespace),
        }
    }


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    """The micro-cache and the campaigns a process holds live in the process: a test
    never sees the answers of another."""
    microcache.forget()
    forget_held_campaigns()
    share_counters.forget_unpushed()


@pytest.fixture(autouse=True)
def _cheap_proof_of_work(settings):
    """Tests solve challenges in Python: keep each one to a few milliseconds."""
    settings.POW_COST = 20
    settings.POW_KEY_PREFIX = "0"


@pytest.fixture
def client(request):
    """pytest-django's; in a test with the database, with the worker recording received
    signatures after each POST."""
    uses_database = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    return WorkerClient() if uses_database else Client()


@pytest.fixture
def admin_client(db, admin_user, client):
    """pytest-django's, signed in with a second factor: the admin asks for one."""
    return signed_in(client, admin_user)


@pytest.fixture
def keypair():
    return generate_keypair()


@pytest.fixture
def organisation(db):
    return Organisation.objects.create(
        name="Association Vigie",
        legal_form="association loi 1901",
        registration_number="W751000001",
        registered_office="1 rue de l'Exemple\n75011 Paris",
        statutory_object="Défense des libertés numériques.",
        contact_email="contact@vigie.example",
    )


@pytest.fixture
def campaign(organisation, keypair):
    return make_campaign(organisation, keypair[0])


@pytest.fixture
def private_key(keypair):
    return keypair[1]


@pytest.fixture
def sign_data(campaign):
    def build(**overrides):
        latest = {}
        for version in campaign.versions.order_by("number"):
            latest[version.kind] = version.pk
        data = {
            "given_names": "Marianne",
            "surname": "Dupontel",
            "email": "marianne.dupontel@example.org",
            "postal_address": "12 rue des Lilas\n69003 Lyon",
            "consent": "on",
            "privacy": "on",
            "website": "",
            "clock": old_clock(),
            "complaint_version": latest["complaint"],
            "mandate_version": latest["mandate"],
        }
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    return build


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("RECOURS_REQUIRE_BROWSER"):
            pytest.fail("chromium is required here: run scripts/install-system-packages")
        pytest.skip("chromium is not installed (scripts/install-system-packages)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made here
    # by the test itself are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
