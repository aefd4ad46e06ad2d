import hashlib
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse

from recours.observatory import domain
from recours.observatory.models import Claim, Evidence, Funding, Place, Vendor
from recours.testing import signed_in

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def claim(db):
    place = Place.objects.create(kind="commune", code="06088", name="Nice")
    return Claim.objects.create(
        place=place, technology="vsa", vendor=Vendor.objects.create(name="Two-I"),
        status="trial", confidence="press",
    )  # fmt: skip


def test_update_claim_records_a_vendor_by_its_name(claim):
    briefcam = Vendor.objects.create(name="Briefcam")

    domain.update_claim(claim=claim, changes={"vendor": briefcam, "quantity": 12}, by="m")

    assert claim.changes.get().changes == {"vendor": ["Two-I", "Briefcam"], "quantity": ["", "12"]}


def test_update_claim_records_nothing_when_nothing_changes(
    claim, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        domain.update_claim(claim=claim, changes={"status": "trial"}, by="m")

    assert claim.changes.count() == 0
    assert callbacks == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"started_on": date(2024, 5, 1), "ended_on": date(2024, 4, 1)}, "ended_on is before"),
        ({"status": ""}, "status cannot be empty"),
        ({"created_at": None}, "not a field of a claim: created_at"),
    ],
)
def test_update_claim_refuses_a_wrong_claim_and_changes_nothing(claim, changes, message):
    with pytest.raises(domain.ClaimError, match=message):
        domain.update_claim(claim=claim, changes=changes, by="m")

    stored = Claim.objects.get(pk=claim.pk)
    assert (stored.status, stored.started_on, stored.ended_on) == ("trial", None, None)
    assert claim.changes.count() == 0


def test_one_transaction_of_edits_rebuilds_the_map_once(claim, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            for quantity in range(1, 21):
                domain.update_claim(claim=claim, changes={"quantity": quantity}, by="m")
            domain.save_funding(
                funding=Funding(place=claim.place, programme="fipd", year=2022, amount_eur=1)
            )

    assert len(callbacks) == 1
    assert claim.changes.count() == 20


def test_a_new_source_is_in_the_history_with_its_copys_fingerprint(claim, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # As an upload arrives from a form: assigned, not yet stored.
    evidence = Evidence(claim=claim, kind="document", title="Arrêté",
                        copy=ContentFile(b"%PDF-1.4 arrete", name="arrete.pdf"))  # fmt: skip

    domain.save_evidence(evidence=evidence, by="m")

    assert evidence.sha256 == hashlib.sha256(b"%PDF-1.4 arrete").hexdigest()
    assert claim.changes.get().changes == {"evidence": ["", "Arrêté"]}


def test_the_admin_records_a_vendor_change_by_name_not_id(client, claim):
    """The admin used to record ('Fournisseur', '1', '2'): raw ids, in public."""
    signed_in(client, User.objects.create_superuser("moderator", "m@example.org", "pw 42 long!"))
    briefcam = Vendor.objects.create(name="Briefcam")
    form = {
        "place": claim.place_id, "technology": "vsa", "vendor": briefcam.pk, "status": "trial",
        "confidence": "press", "operator": "", "summary": "",
        "evidence-TOTAL_FORMS": "0", "evidence-INITIAL_FORMS": "0",
        "changes-TOTAL_FORMS": "0", "changes-INITIAL_FORMS": "0",
    }  # fmt: skip

    response = client.post(reverse("admin:observatory_claim_change", args=[claim.pk]), form)

    assert response.status_code == 302
    assert claim.changes.get().changes == {"vendor": ["Two-I", "Briefcam"]}
    page = client.get(claim.place.get_absolute_url()).content.decode()
    assert "Fournisseur : Two-I → Briefcam" in page


def test_the_admin_refuses_dates_in_the_wrong_order(client, claim):
    signed_in(client, User.objects.create_superuser("moderator", "m@example.org", "pw 42 long!"))
    form = {
        "place": claim.place_id, "technology": "vsa", "vendor": claim.vendor_id,
        "status": "trial", "confidence": "press", "operator": "", "summary": "",
        "started_on": "2024-05-01", "ended_on": "2024-04-01",
        "evidence-TOTAL_FORMS": "0", "evidence-INITIAL_FORMS": "0",
        "changes-TOTAL_FORMS": "0", "changes-INITIAL_FORMS": "0",
    }  # fmt: skip

    response = client.post(reverse("admin:observatory_claim_change", args=[claim.pk]), form)

    assert response.status_code == 200
    assert "La fin précède le début." in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).ended_on is None


def test_the_migration_names_vendors_the_admin_recorded_as_ids(claim):
    from importlib import import_module

    from django.apps import apps

    briefcam = Vendor.objects.create(name="Briefcam")
    old = claim.changes.create(
        changes={"vendor": [str(claim.vendor_id), str(briefcam.pk)], "status": ["trial", "ended"]},
        by="m",
    )
    migration = import_module("recours.observatory.migrations.0008_claim_history_names")

    migration.ids_to_names(apps, None)

    old.refresh_from_db()
    assert old.changes == {"vendor": ["Two-I", "Briefcam"], "status": ["trial", "ended"]}


def test_deletions_rebuild_the_map_once_they_commit(claim, django_capture_on_commit_callbacks):
    funding = Funding.objects.create(place=claim.place, programme="fipd", year=2022, amount_eur=1)

    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            assert domain.delete_funding(fundings=[funding]) == 1
            deleted = domain.delete_claims(claims=[claim])

    assert deleted == 1
    assert len(callbacks) == 1
    assert (Claim.objects.count(), Funding.objects.count()) == (0, 0)


def test_create_claim_refuses_a_claim_without_its_status(claim):
    with pytest.raises(domain.ClaimError, match="status cannot be empty"):
        domain.create_claim(claim=Claim(place=claim.place, technology="vsa", confidence="press"),
                            by="m", origin="api")  # fmt: skip

    assert Claim.objects.count() == 1
