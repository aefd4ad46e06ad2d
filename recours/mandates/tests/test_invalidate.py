import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from recours.mandates import domain, transparency
from recours.mandates.models import Invalidation, Mandate
from recours.testing import link_from, old_clock, queued_mails

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def sign_from(client, campaign, sign_data, address, email, confirm=True):
    client.post(
        reverse("mandates:sign", args=[campaign.slug]),
        sign_data(email=email, clock=old_clock()),
        REMOTE_ADDR=address,
    )
    if confirm:
        client.post(link_from(queued_mails("confirm")[-1].body_text, "/confirmer/"))


@pytest.fixture
def flooded(client, campaign, sign_data):
    sign_from(client, campaign, sign_data, "198.51.100.4", "real@example.org")
    for n in range(3):
        sign_from(client, campaign, sign_data, f"203.0.113.{n}", f"bot{n}@flood.example")
    sign_from(client, campaign, sign_data, "203.0.113.9", "late@flood.example", confirm=False)
    return campaign


def run(*args):
    out = io.StringIO()
    call_command("invalidate_signatures", *args, stdout=out)
    return out.getvalue().strip()


def test_dry_run_counts_and_changes_nothing(flooded):
    out = run(flooded.slug, "--domain", "flood.example", "--by", "Camille", "--dry-run")

    assert out == "would invalidate 3 confirmed and 1 pending mandates"
    assert Mandate.objects.filter(status="invalidated").count() == 0


def test_invalidating_by_domain_uncounts_logs_and_records_the_decision(flooded):
    out = run(flooded.slug, "--domain", "FLOOD.example", "--by", "Camille")

    flooded.refresh_from_db()
    decision = Invalidation.objects.get()
    assert out == "4 mandates invalidated (3 were counted)"
    assert flooded.confirmed_count == domain.recount_confirmed(flooded) == 1
    assert transparency.log_head(flooded.pk).count == 1
    assert (decision.decided_by, decision.criteria, decision.count) == (
        "Camille",
        {"domain": "FLOOD.example"},
        4,
    )
    assert Mandate.objects.filter(status="invalidated", sealed_identity__isnull=False).count() == 0


def test_invalidating_by_network(flooded):
    run(flooded.slug, "--network", "203.0.113.0/24", "--by", "Camille")

    assert Mandate.objects.filter(status="confirmed").count() == 1


def test_invalidating_by_time_window(flooded):
    first = Mandate.objects.order_by("signed_at").first()

    run(
        flooded.slug,
        "--since",
        first.signed_at.isoformat(),
        "--until",
        "2999-01-01T00:00",
        "--by",
        "Camille",
    )

    assert Mandate.objects.filter(status="invalidated").count() == 5


def test_invalidate_needs_a_criterion_and_good_dates(flooded):
    with pytest.raises(CommandError, match="at least one criterion"):
        run(flooded.slug, "--by", "Camille")
    with pytest.raises(CommandError, match="not a date and time"):
        run(flooded.slug, "--since", "hier", "--by", "Camille")
