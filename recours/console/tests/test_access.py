"""Who may open which console page: every URL, for every kind of visitor."""

import pytest
from django.test import Client
from django.urls import reverse

from recours.console.tests.conftest import member_client
from recours.observatory.models import Claim, DocumentRequest, Lead, Place

pytestmark = pytest.mark.integration

ALL = {"organiser", "viewer", "moderator", "outsider", "superuser"}
# URL name → who gets the page (200); members of the organisation with another role get
# 403, and everyone outside it 404 (a campaign of another organisation does not exist for
# them); anonymous visitors are sent to sign in.
CAMPAIGN_EDITING = ["texts", "grounds", "ground_new", "ground", "mandate", "calendar", "key",
                    "preview", "publish", "status", "news_list", "news", "faq",
                    "timeline", "identity", "paper", "federation"]  # fmt: skip
CAMPAIGN_FIGURES = ["campaign", "dashboard", "dashboard_csv"]
ORGANISATION = ["organisation", "activity"]
MODERATION = ["leads", "lead", "claims", "claim", "document_requests", "document_request"]


def expected(name: str, role: str) -> int:
    if role == "superuser" or name in ("home", "security"):
        return 200
    if name in CAMPAIGN_EDITING + ["campaign_new"]:
        return {"organiser": 200, "outsider": 404}.get(role, 403)
    if name in CAMPAIGN_FIGURES:
        return {"organiser": 200, "viewer": 200, "outsider": 404}.get(role, 403)
    if name in ORGANISATION:
        return 404 if role == "outsider" else 200
    if name in MODERATION:
        return 200 if role == "moderator" else 403
    if name == "organisation_new":
        return 403
    raise AssertionError(name)


@pytest.fixture
def urls(campaign, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    place = Place.objects.create(kind="commune", code="75056", name="Paris", population=2_100_000)
    claim = Claim.objects.create(place=place, technology="vsa", status="trial", confidence="press")
    lead = Lead.objects.create(place_text="Paris", technology="vsa", description="Des caméras.")
    request = DocumentRequest.objects.create(place=place, sent_on="2026-01-05")
    update = campaign.updates.create(subject="Déposée", body="La plainte est déposée.")
    ground = campaign.grounds.first()
    slug, org = campaign.slug, campaign.organisation_id
    return {
        "home": [],
        "security": [],
        "organisation_new": [],
        "organisation": [org],
        "activity": [org],
        "campaign_new": [org],
        "campaign": [slug],
        "dashboard": [slug],
        "dashboard_csv": [slug, "daily"],
        "texts": [slug],
        "grounds": [slug],
        "ground_new": [slug],
        "ground": [slug, ground.pk],
        "mandate": [slug],
        "calendar": [slug],
        "faq": [slug],
        "identity": [slug],
        "timeline": [slug],
        "key": [slug],
        "preview": [slug],
        "publish": [slug],
        "status": [slug],
        "news_list": [slug],
        "news": [slug, update.pk],
        "paper": [slug],
        "federation": [slug],
        "leads": [],
        "lead": [lead.pk],
        "claims": [],
        "claim": [claim.pk],
        "document_requests": [],
        "document_request": [request.pk],
    }


def test_every_console_url_is_in_this_table():
    from recours.console.urls import urlpatterns

    signing_in = {"login", "second_factor", "enrol", "logout", "accept", "member_remove",
                  "lead_attachment"}  # fmt: skip
    names = {pattern.name for pattern in urlpatterns} - signing_in
    assert names == set(CAMPAIGN_EDITING + CAMPAIGN_FIGURES + ORGANISATION + MODERATION) | {
        "home", "security", "organisation_new", "campaign_new",
    }  # fmt: skip


@pytest.mark.parametrize("role", sorted(ALL))
def test_each_role_sees_what_it_may_and_nothing_else(people, urls, role):
    client = member_client(people[role])
    seen = {}
    for name, args in urls.items():
        seen[name] = client.get(reverse(f"console:{name}", args=args)).status_code

    assert seen == {name: expected(name, role) for name in urls}


def test_anonymous_visitors_are_sent_to_sign_in(urls):
    client = Client()
    for name, args in urls.items():
        path = reverse(f"console:{name}", args=args)
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (
            302,
            f"{reverse('console:login')}?next={path}",
        ), name


def test_a_password_without_second_factor_opens_nothing(people, urls):
    client = Client()
    client.force_login(people["organiser"])  # a session without the second factor

    response = client.get(reverse("console:campaign", args=urls["campaign"]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("console:login"))


def test_the_admin_is_for_superusers_with_their_second_factor(people):
    organiser = member_client(people["organiser"])
    half_signed = Client()
    half_signed.force_login(people["superuser"])
    superuser = member_client(people["superuser"])

    assert organiser.get("/admin/").status_code == 302
    assert half_signed.get("/admin/").status_code == 302
    assert superuser.get("/admin/").status_code == 200
    assert Client().get("/admin/login/?next=/admin/")["Location"] == (
        f"{reverse('console:login')}?next=/admin/"
    )


def test_state_changing_pages_refuse_other_roles(people, campaign):
    viewer = member_client(people["viewer"])
    outsider = member_client(people["outsider"])
    texts = reverse("console:texts", args=[campaign.slug])

    assert viewer.post(texts, {"title": "Piraté"}).status_code == 403
    assert outsider.post(texts, {"title": "Piraté"}).status_code == 404
    campaign.refresh_from_db()
    assert campaign.title == "Plainte contre la surveillance"
