"""Moderation in the console: a lead becomes a claim, a claim is edited with its
sources, a document request's answer becomes evidence; places and vendors are found by
search, and every write goes through the observatory's domain, with its history."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recours.console.models import ActivityEntry
from recours.console.tests.conftest import member_client, text
from recours.observatory.models import Claim, DocumentRequest, Evidence, Lead, Place, Vendor
from recours.observatory.tests.conftest import record  # noqa: F401 - the fixture
from recours.observatory.tests.test_leads import PDF, post_lead

pytestmark = pytest.mark.integration


@pytest.fixture
def places(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for code, name, population in [("72181", "Le Mans", 145_000), ("72001", "Aigné", 1_700),
                                   ("75056", "Paris", 2_100_000)]:  # fmt: skip
        Place.objects.create(kind="commune", code=code, name=name, population=population,
                             search_name=name.lower().replace("le ", ""))  # fmt: skip
    Vendor.objects.create(name="Briefcam")
    Vendor.objects.create(name="Two-I")
    return Place.objects.get(code="72181")


CLAIM = {"technology": "vsa", "operator": "", "status": "trial", "confidence": "rumour",
         "started_on": "", "ended_on": "", "quantity": "", "summary": "Des caméras qui analysent."}  # fmt: skip


def test_a_moderator_finds_the_place_by_search_and_accepts_the_lead(people, places):
    lead = Lead.objects.create(place_text="le mans", technology="vsa", description="Vu en ville.",
                               url="https://presse.example/le-mans")  # fmt: skip
    client = member_client(people["moderator"])
    page = client.get(reverse("console:lead", args=[lead.pk]))

    found = client.post(reverse("console:lead", args=[lead.pk]),
                        CLAIM | {"place_query": "Mans", "search_place": "1"})  # fmt: skip
    saved = client.post(reverse("console:lead", args=[lead.pk]),
                        CLAIM | {"place_query": "Mans", "place": places.pk})  # fmt: skip

    assert page.status_code == 200
    assert len(page.content) < 100_000  # not a drop-down of every commune
    assert "Le Mans (72181)" in text(found)
    assert "Paris" not in text(found)
    assert found.status_code == 200
    assert "Ce champ est obligatoire" not in text(found)  # a search saves and blames nothing
    claim = Claim.objects.get()
    assert saved["Location"] == reverse("console:claim", args=[claim.pk])
    assert claim.place == places
    assert Evidence.objects.get(claim=claim).url == "https://presse.example/le-mans"
    lead.refresh_from_db()
    assert lead.status == "accepted"
    assert ActivityEntry.objects.get().action == "lead.accepted"
    assert claim.changes.get().by == "modo"


def test_a_vendor_change_is_recorded_by_name(people, places):
    claim = Claim.objects.create(place=places, technology="vsa", status="trial", confidence="press",
                                 vendor=Vendor.objects.get(name="Two-I"))  # fmt: skip
    client = member_client(people["moderator"])
    briefcam = Vendor.objects.get(name="Briefcam")

    response = client.post(reverse("console:claim", args=[claim.pk]), CLAIM | {
        "place": places.pk, "vendor": briefcam.pk, "vendor_query": "brief",
        "confidence": "press",
    })  # fmt: skip

    assert response.status_code == 302
    change = claim.changes.get()
    assert change.changes["vendor"] == ["Two-I", "Briefcam"]
    assert change.changes["summary"] == ["", "Des caméras qui analysent."]


def test_dates_in_the_wrong_order_are_refused_and_nothing_changes(people, places):
    claim = Claim.objects.create(place=places, technology="vsa", status="trial", confidence="press")
    client = member_client(people["moderator"])

    response = client.post(reverse("console:claim", args=[claim.pk]), CLAIM | {
        "place": places.pk, "started_on": "2024-05-01", "ended_on": "2023-01-01",
        "confidence": "press",
    })  # fmt: skip

    assert response.status_code == 400
    assert "La date de fin précède la date de début." in text(response)
    assert claim.changes.count() == 0


def test_a_source_is_added_to_a_claim(people, places):
    claim = Claim.objects.create(place=places, technology="vsa", status="trial", confidence="press")
    client = member_client(people["moderator"])

    empty = client.post(reverse("console:claim", args=[claim.pk]), {"kind": "web_page"})
    added = client.post(reverse("console:claim", args=[claim.pk]), {
        "kind": "web_page", "title": "Délibération", "url": "https://ville.example/deliberation",
    })  # fmt: skip

    assert empty.status_code == 400
    assert "Une source a au moins un titre ou une adresse." in text(empty)
    assert added.status_code == 302
    assert claim.evidence.get().title == "Délibération"
    assert claim.changes.get().changes == {"evidence": ["", "https://ville.example/deliberation"]}


def test_a_lead_set_aside_forgets_its_contact(people, places):
    lead = Lead.objects.create(place_text="Paris", technology="drone", description="Un drone.")
    lead.contact = "temoin@example.org"
    lead.save()
    client = member_client(people["moderator"])

    client.post(reverse("console:lead", args=[lead.pk]), {"reject": "1", "note": "Hors sujet"})

    lead.refresh_from_db()
    assert (lead.status, lead.contact) == ("rejected", "")


def test_a_document_requests_answer_becomes_evidence(people, places):
    claim = Claim.objects.create(place=places, technology="vsa", status="trial", confidence="press")
    item = DocumentRequest.objects.create(place=places, sent_on="2026-01-05")
    client = member_client(people["moderator"])

    answered = client.post(reverse("console:document_request", args=[item.pk]), {
        "status": "answered", "answered_on": "2026-02-20", "cada_number": "", "opinion": "",
        "notes": "", "answer": SimpleUploadedFile("reponse.pdf", b"%PDF-1.4 reponse"),
    })  # fmt: skip
    filed = client.post(reverse("console:document_request", args=[item.pk]),
                        {"file_answer": "1", "claim": claim.pk})  # fmt: skip

    assert answered.status_code == 302
    assert filed["Location"] == reverse("console:claim", args=[claim.pk])
    claim.refresh_from_db()
    assert claim.confidence == "document_request"
    assert claim.evidence.get().kind == "document_request"


def test_a_leads_document_becomes_evidence_with_its_hash_and_the_lead_is_dealt_with_once(
    client,
    people,
    record,  # noqa: F811 - the fixture imported above
):
    post_lead(client, url="https://press.example/masséna",
              attachment=SimpleUploadedFile("arrete.pdf", PDF))  # fmt: skip
    lead = Lead.objects.get()
    moderator = member_client(people["moderator"])
    form = CLAIM | {"place": record.pk, "status": "in_service", "confidence": "official",
                    "summary": "Caméras place Masséna."}  # fmt: skip

    document = moderator.get(reverse("console:lead_attachment", args=[lead.pk]))
    response = moderator.post(reverse("console:lead", args=[lead.pk]), form)
    again = moderator.post(reverse("console:lead", args=[lead.pk]), form)

    assert document["Content-Type"] == "application/octet-stream"
    assert b"".join(document.streaming_content) == PDF
    assert response.status_code == 302
    claim = Claim.objects.get(summary="Caméras place Masséna.")
    lead.refresh_from_db()
    assert lead.status == "accepted" and lead.claim == claim
    kept = claim.evidence.get(kind=Evidence.Kind.DOCUMENT)
    assert kept.sha256 == hashlib.sha256(PDF).hexdigest()
    assert kept.copy.read() == PDF
    assert claim.evidence.get(kind=Evidence.Kind.WEB_PAGE).url == "https://press.example/masséna"
    assert claim.changes.get().changes == {"created": ["", f"lead {lead.pk}"]}
    assert not lead.attachment  # the evidence holds the copy
    public = client.get(reverse("observatory:evidence_copy", args=[kept.pk]))
    assert b"".join(public.streaming_content) == PDF
    assert again.status_code == 200  # already dealt with: nothing created
    assert Claim.objects.filter(summary="Caméras place Masséna.").count() == 1
