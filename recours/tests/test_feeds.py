"""Atom feeds (issue 17's feeds): each passes a strict parser (feedparser, no bozo flag)
and RFC 4287's RELAX NG schema (lxml), lists what is new, and costs no query per entry."""

from functools import cache
from pathlib import Path

import feedparser
import pytest
import rnc2rng
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from recours.campaigns.models import StatusChange
from recours.mandates.models import SignerUpdate
from recours.observatory.models import Claim, DocumentRequest, Place, Vendor

pytestmark = [pytest.mark.integration, pytest.mark.django_db]
SCHEMA = Path(__file__).resolve().parents[1] / "core" / "tests" / "schemas" / "atom.rnc"


@cache
def atom_schema() -> etree.RelaxNG:
    # rnc2rng declares the empty "local" prefix, which XML forbids: the rules use
    # nsName ns="" anyway.
    rng = rnc2rng.dumps(rnc2rng.loads(SCHEMA.read_text())).replace('xmlns:local=""', "")
    return etree.RelaxNG(etree.fromstring(rng.encode()))


def valid_feed(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    schema = atom_schema()
    assert schema.validate(etree.fromstring(response.content)), schema.error_log
    return parsed


def test_an_invalid_document_is_refused_by_both_checks():
    broken = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><updated>hier</updated></feed>'
    )

    assert not atom_schema().validate(etree.fromstring(broken))  # no id, a bad date
    assert feedparser.parse(b"<feed><title>T</title>").bozo


@pytest.fixture
def places(db):
    departement = Place.objects.create(kind="departement", code="44", name="Loire-Atlantique")
    metropole = Place.objects.create(kind="epci", code="244400404", name="Nantes Métropole")
    nantes = Place.objects.create(kind="commune", code="44109", name="Nantes", parent=departement,
                                  epci=metropole, population=320_000)  # fmt: skip
    reze = Place.objects.create(kind="commune", code="44143", name="Rezé", parent=departement,
                                epci=metropole)  # fmt: skip
    vendor = Vendor.objects.create(name="Briefcam <script>")
    Claim.objects.create(place=nantes, technology="vsa", vendor=vendor, status="trial",
                         confidence="press", summary="Essai & suite <b>annoncée</b>.")  # fmt: skip
    Claim.objects.create(place=reze, technology="cctv", status="in_service", quantity=40,
                         confidence="official")  # fmt: skip
    return {"departement": departement, "metropole": metropole, "nantes": nantes, "reze": reze}


def test_the_observatory_feeds_list_new_claims_overall_per_place_and_technology(client, places):
    everything = valid_feed(client.get(reverse("observatory:feed")))
    nantes = valid_feed(client.get(reverse("observatory:place_feed", args=["commune", "44109"])))
    metropole = valid_feed(
        client.get(reverse("observatory:place_feed", args=["epci", "244400404"]))
    )
    departement = valid_feed(
        client.get(reverse("observatory:place_feed", args=["departement", "44"]))
    )
    vsa = valid_feed(client.get(reverse("observatory:technology_feed", args=["vsa"])))

    assert len(everything.entries) == 2
    assert [e.title for e in nantes.entries] == [
        "Vidéosurveillance algorithmique · Nantes · Briefcam <script> · expérimentation"
    ]
    assert "Essai &amp; suite &lt;b&gt;annoncée&lt;/b&gt;." in nantes.entries[0].summary  # as text
    claim = Claim.objects.get(technology="vsa")
    assert (
        nantes.entries[0].link
        == f"http://127.0.0.1:8000/observatoire/lieu/commune/44109/#claim-{claim.pk}"
    )
    assert len(metropole.entries) == len(departement.entries) == 2  # what is inside
    assert [e.title.split(" · ")[1] for e in vsa.entries] == ["Nantes"]
    assert everything.feed.language == "fr"
    assert all(entry.id.startswith("tag:") for entry in everything.entries)


def test_a_new_claim_shows_at_once_and_a_feed_costs_no_query_per_entry(client, places):
    url = reverse("observatory:feed")
    client.get(url)
    for number in range(30):
        Claim.objects.create(place=places["reze"], technology="drone", status="announced",
                             confidence="rumour", summary=f"Drone {number}")  # fmt: skip

    with CaptureQueriesContext(connection) as queries:
        fresh = valid_feed(client.get(url))
    with CaptureQueriesContext(connection) as cached:
        client.get(url)

    assert len(fresh.entries) == 32 and fresh.entries[0].summary.startswith("<p>Drone 29")
    assert len(queries) <= 6  # the version, then one query for the entries
    assert len(cached) <= 4  # the version only: the body comes from the cache


def test_document_request_outcomes_per_place(client, places):
    DocumentRequest.objects.create(place=places["nantes"], documents=["délibérations"],
                                   sent_on="2026-09-01")  # fmt: skip
    DocumentRequest.objects.create(place=places["nantes"], documents=["marché public"],
                                   sent_on="2026-06-01", status="opinion", referred_on="2026-08-01",
                                   opinion_on="2026-10-15", opinion="favourable")  # fmt: skip

    parsed = valid_feed(client.get(reverse("observatory:requests_feed", args=["commune", "44109"])))

    assert [e.title for e in parsed.entries] == [
        "Demande de documents à Nantes : avis de la CADA rendu (favorable)"
    ]  # the one still waiting has no outcome yet
    assert parsed.entries[0].updated.startswith("2026-10-15")


def test_a_campaign_feed_gives_its_timeline_and_news(client, campaign):
    StatusChange.objects.create(campaign=campaign, from_status="draft", to_status="open",
                                changed_at=timezone.now() - timezone.timedelta(days=3))  # fmt: skip
    SignerUpdate.objects.create(campaign=campaign, subject="La plainte est prête",
                                body="Nous la déposons **lundi**.", queued_at=timezone.now())  # fmt: skip
    SignerUpdate.objects.create(campaign=campaign, subject="Brouillon", body="Pas encore envoyée.")

    parsed = valid_feed(client.get(reverse("mandates:feed", args=[campaign.slug])))
    page = client.get(campaign.get_absolute_url()).content.decode()

    assert [e.title for e in parsed.entries] == ["La plainte est prête", "La campagne est ouverte"]
    assert "<strong>lundi</strong>" in parsed.entries[0].summary
    assert parsed.feed.author == campaign.organisation.name
    assert (
        f'rel="alternate" type="application/atom+xml" href="{reverse("mandates:feed", args=[campaign.slug])}"'
        in page
    )


def test_a_draft_campaign_has_no_feed_and_an_unknown_place_none(client, campaign):
    campaign.status = "draft"
    campaign.save()

    assert client.get(reverse("mandates:feed", args=[campaign.slug])).status_code == 404
    assert (
        client.get(reverse("observatory:place_feed", args=["commune", "00000"])).status_code == 404
    )
    assert client.get(reverse("observatory:technology_feed", args=["nothing"])).status_code == 404


def test_pages_link_their_feed_and_say_how_to_follow(client, places):
    page = client.get(places["nantes"].get_absolute_url()).content.decode()
    index = client.get(reverse("observatory:index")).content.decode()

    assert 'type="application/atom+xml" href="/observatoire/lieu/commune/44109/flux.atom"' in page
    assert "/observatoire/lieu/commune/44109/demandes.atom" in page
    assert "Collez cette adresse dans votre lecteur de flux" in page
    assert 'href="/observatoire/flux.atom"' in index
