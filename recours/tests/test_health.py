import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from recours.core import metrics
from recours.core.models import MailContent, OutboxEmail

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def late_mail(minutes: int) -> None:
    OutboxEmail.objects.create(
        template="t", next_attempt_at=timezone.now() - timedelta(minutes=minutes),
        sealed=MailContent(to="a@example.org", subject="s", body_text="b", body_html="b").sealed(),
    )  # fmt: skip


def test_healthz_and_readyz_say_yes_or_no_and_nothing_else(client):
    alive, ready = client.get(reverse("healthz")), client.get(reverse("readyz"))
    late_mail(minutes=20)
    stuck = client.get(reverse("readyz"))

    assert (alive.status_code, alive.json()) == (200, {"status": "ok"})
    assert (ready.status_code, ready.json()) == (200, {"status": "ready"})
    assert (stuck.status_code, stuck.json()) == (503, {"status": "not ready"})


def test_the_health_command_says_why():
    late_mail(minutes=20)
    out = io.StringIO()

    with pytest.raises(SystemExit) as exited:
        call_command("health", stdout=out)

    lines = out.getvalue().splitlines()
    assert exited.value.code == 1
    assert lines[:3] == ["ok  database: " + lines[0].split(": ")[1], lines[1], lines[2]]
    assert lines[2] == "ok  migrations: all applied"
    assert lines[3].startswith("NOT outbox: oldest due mail waiting for 12")


def test_metrics_need_the_token_and_name_no_one(client, campaign, sign_data, settings):
    settings.METRICS_TOKEN = "t" * 40
    client.get(campaign.get_absolute_url())
    client.post(reverse("mandates:sign", args=[campaign.slug]), sign_data(),
                REMOTE_ADDR="198.51.100.42")  # fmt: skip
    url = reverse("metrics")

    refused = [client.get(url), client.get(url, HTTP_AUTHORIZATION="Bearer wrong")]
    page = client.get(url, HTTP_AUTHORIZATION="Bearer " + "t" * 40)
    settings.METRICS_TOKEN = ""
    off = client.get(url, HTTP_AUTHORIZATION="Bearer ")

    text = page.content.decode()
    assert [r.status_code for r in refused] + [off.status_code] == [404, 404, 404]
    assert page.status_code == 200
    assert (
        'recours_http_requests_total{route="mandates:campaign",method="GET",status="2xx"} 1' in text
    )
    assert 'recours_http_requests_total{route="mandates:sign",method="POST",status="3xx"} 1' in text
    assert 'recours_outbox_mails{status="queued"} 1' in text
    assert "recours_mandates_pending 1" in text
    for personal in ("marianne", "dupontel", "198.51.100", "plainte-test/"):
        assert personal not in text.lower()


@pytest.fixture(autouse=True)
def _fresh_counters():
    metrics._pending.clear()
    yield
    metrics._pending.clear()
