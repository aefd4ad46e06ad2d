"""A campaign's figures: counted as events happen, never below five shown as such, the
same in the page, its tables and its CSV, and read in a fixed number of queries."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from recours.campaigns.domain import published_texts
from recours.campaigns.models import ShareCount, Tally
from recours.campaigns.share_counters import count_visit
from recours.campaigns.tallies import counts_of_stored, hour_of
from recours.console.figures import campaign_figures, shown
from recours.console.tests.conftest import member_client, text
from recours.core.mail import send_due_emails
from recours.core.tests.smtp import running_smtp_server
from recours.mandates import domain
from recours.mandates.identity import SignerIdentity
from recours.mandates.models import Mandate
from recours.testing import link_from, queued_mails

pytestmark = pytest.mark.integration


def sign(campaign, number):
    domain.sign_mandate(
        campaign=campaign,
        identity=SignerIdentity("Ana", f"Signataire{number}", f"s{number}@example.org", ""),
        texts=published_texts(campaign),
        language="fr",
    )


def confirm_all():
    for mail in queued_mails("confirm"):
        token = link_from(mail.body_text, "/confirmer/").split("/")[-2]
        domain.confirm_mandate(token=token)


def points(series):
    return {point.label: point.text for point in series.points}


def test_small_counts_are_hidden_and_zero_and_five_are_shown():
    assert [shown(n) for n in (0, 1, 4, 5, 1234)] == ["0", "< 5", "< 5", "5", "1\xa0234"]


def test_sign_ups_confirmations_and_withdrawals_are_counted_as_they_happen(campaign):
    for number in range(7):
        sign(campaign, number)
    confirm_all()
    manage = link_from(queued_mails("confirm")[0].body_text, "/mandat/").split("/")[-2]
    domain.withdraw_mandate(token=manage)
    campaign.refresh_from_db()

    figures = campaign_figures(campaign)

    assert points(figures.funnel) == {
        "inscriptions": "7", "confirmations": "7", "retraits": "< 5", "invalidations": "0",
    }  # fmt: skip
    assert figures.hourly.points[-1].text == "7"
    assert figures.cumulative.points[-1].value == 6 == campaign.confirmed_count
    assert points(figures.delays)["moins de 1 min"] == "7"
    assert figures.median_delay == "moins de 1 min"


def test_mail_outcomes_are_counted_from_a_real_smtp_server(campaign):
    for number in range(6):
        sign(campaign, number)
    with running_smtp_server() as inbox:
        inbox.refuse_if = lambda address: (
            "550 no such user" if address == "s0@example.org" else None
        )
        send_due_emails()

    mails = points(campaign_figures(campaign).mails)

    assert mails["envoyés"] == "5"
    assert mails["rejetés par le destinataire"] == "< 5"
    assert mails["échecs"] == "0"


def test_the_page_table_and_csv_hide_the_same_small_counts(people, campaign):
    for number in range(3):
        sign(campaign, number)
    confirm_all()
    client = member_client(people["viewer"])

    page = text(client.get(reverse("console:dashboard", args=[campaign.slug])))
    csv = client.get(reverse("console:dashboard_csv", args=[campaign.slug, "hourly"]))
    rows = csv.content.decode().splitlines()

    assert (
        '<td class="number">&lt; 5</td>'
        in client.get(reverse("console:dashboard", args=[campaign.slug])).content.decode()
    )
    assert "Mandats confirmés par heure, 3 derniers jours" in page
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    assert rows[0] == "heure,count"
    assert rows[-1].endswith(",< 5")
    assert len(rows) == 73
    assert "3" not in [row.rsplit(",", 1)[1] for row in rows[1:]]


def test_the_forecast_follows_the_pace_of_the_last_week(campaign):
    now = timezone.now()
    for days_ago in range(7):
        Tally.objects.create(campaign=campaign, hour=hour_of(now - timedelta(days=days_ago)),
                             metric="confirmed", count=10)  # fmt: skip
    campaign.confirmed_count = 70
    campaign.goal = 170

    forecast = campaign_figures(campaign, now).forecast

    assert round(forecast.pace_per_day) == 10
    assert forecast.remaining == 100
    assert forecast.days == 10
    assert forecast.before_close is False  # it closes in four days


def stored_mandates(campaign, count):
    """`count` confirmed mandates over the last thirty days, stored as rows and tallied
    the way the migration counts mandates stored before tallies existed."""
    now = timezone.now()
    texts = published_texts(campaign)
    rows = []
    for n in range(count):
        signed = now - timedelta(minutes=43 * n)
        rows.append(Mandate(
            campaign=campaign, status="confirmed", email_hash=f"{n:064x}", sealed_identity=b"x",
            complaint_version=texts.complaint, mandate_version=texts.mandate, language="fr",
            signed_at=signed, confirmed_at=signed + timedelta(minutes=n % 90),
        ))  # fmt: skip
    Mandate.objects.bulk_create(rows)
    tallies = counts_of_stored(
        (campaign.pk, m.status, m.signed_at, m.confirmed_at, None, None) for m in rows
    )
    Tally.objects.bulk_create(
        Tally(campaign_id=c, hour=hour, metric=metric, count=n)
        for (c, hour, metric), n in tallies.items()
    )


@pytest.mark.parametrize("count", [1, 1000])
def test_the_dashboard_takes_the_same_few_queries_at_1_and_1000_mandates(people, campaign, count):
    stored_mandates(campaign, count)
    client = member_client(people["viewer"])
    client.get(reverse("console:dashboard", args=[campaign.slug]))  # sessions, caches

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("console:dashboard", args=[campaign.slug]))

    assert response.status_code == 200
    tables = [query["sql"] for query in queries.captured_queries]
    assert not [sql for sql in tables if "mandates_mandate" in sql]
    # Session, account, campaign with its organisation, roles, the sums per metric, the
    # hours of confirmations and removals, share counts: seven, whatever the number of
    # mandates.
    assert len(queries) == 7


def test_the_dashboard_and_the_daily_purge_move_the_counts(people, campaign):
    count_visit(campaign.pk, "signal")
    count_visit(campaign.pk, "signal")
    page = member_client(people["organiser"]).get(f"/console/campagnes/{campaign.slug}/chiffres/")
    assert "Visites venues d'un lien partagé" in text(page)
    assert tagged_visits(campaign) == {"signal": 2}

    count_visit(campaign.pk, "email")
    call_command("purge")
    assert tagged_visits(campaign) == {"signal": 2, "email": 1}


def tagged_visits(campaign):
    rows = ShareCount.objects.filter(campaign=campaign, visits__gt=0)
    return dict(rows.values_list("channel", "visits"))
