import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from recours.observatory.models import Claim, Place
from recours.testing import signed_in

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_a_moderators_edit_of_a_claim_is_kept_in_its_history(client):
    moderator = User.objects.create_superuser("moderator", "m@example.org", "a long password 42")
    signed_in(client, moderator)
    place = Place.objects.create(kind="commune", code="06088", name="Nice")
    claim = Claim.objects.create(place=place, technology="vsa", status="trial", confidence="press")
    url = reverse("admin:observatory_claim_change", args=[claim.pk])
    form = {
        "place": place.pk, "technology": "vsa", "status": "in_service", "confidence": "official",
        "operator": "", "summary": "Arrêté préfectoral.",
        "evidence-TOTAL_FORMS": "0", "evidence-INITIAL_FORMS": "0",
        "changes-TOTAL_FORMS": "0", "changes-INITIAL_FORMS": "0",
    }  # fmt: skip

    response = client.post(url, form)

    assert response.status_code == 302, response.content.decode()[:2000]
    change = claim.changes.get()
    assert change.by == "moderator"
    assert change.changes["status"] == ["trial", "in_service"]
    assert change.changes["confidence"] == ["press", "official"]
    assert client.get(reverse("admin:observatory_place_changelist")).status_code == 200
    assert client.get(reverse("admin:observatory_osmcamera_changelist")).status_code == 200
