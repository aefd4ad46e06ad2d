"""The console's domain functions where the pages cannot reach: races and refusals."""

import pytest
from django.urls import reverse

from recours.console import domain
from recours.console.models import ActivityEntry, Invitation
from recours.console.tests.conftest import member_client
from recours.core.crypto import generate_keypair
from recours.testing import link_from, queued_mails

pytestmark = pytest.mark.integration


def test_an_invitation_spent_by_a_concurrent_request_makes_no_second_member(
    people, organisation, monkeypatch
):
    invitation = domain.invite_member(organisation=organisation, email="nour@example.org",
                                      role="viewer", by=people["organiser"])  # fmt: skip
    token = link_from(queued_mails("console-invitation")[0].body_text, "/invitation/")
    token = token.rstrip("/").rsplit("/", 1)[1]
    real = domain.usable_invitation

    def read_then_lose_the_race(value):
        found = real(value)
        Invitation.objects.filter(pk=invitation.pk).update(used_at=found.created_at)
        return found

    monkeypatch.setattr(domain, "usable_invitation", read_then_lose_the_race)

    with pytest.raises(domain.InvitationProblem):
        domain.accept_invitation(token=token, username="nour", password="correct horse 9")


def test_an_organiser_changes_the_legal_details_and_the_log_says_which(people, organisation):
    client = member_client(people["organiser"])
    form = {
        "name": organisation.name, "legal_form": organisation.legal_form,
        "registration_number": organisation.registration_number,
        "registered_office": organisation.registered_office,
        "statutory_object": "Défense des libertés, en ligne et hors ligne.",
        "contact_email": organisation.contact_email,
    }  # fmt: skip

    response = client.post(reverse("console:organisation", args=[organisation.pk]), form)

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.statutory_object == "Défense des libertés, en ligne et hors ligne."
    entry = ActivityEntry.objects.get()
    assert (entry.action, entry.details) == (
        "organisation.changed",
        {"fields": ["statutory_object"]},
    )


def test_an_open_campaigns_key_is_refused_by_the_domain_too(people, campaign):
    with pytest.raises(ValueError, match="changes only offline"):
        domain.register_public_key(campaign=campaign, public_key=generate_keypair()[0],
                                   by=people["organiser"])  # fmt: skip
    assert ActivityEntry.objects.count() == 0


def test_publishing_an_unchanged_draft_creates_and_logs_nothing(people, campaign):
    assert domain.publish_texts(campaign=campaign, by=people["organiser"]) == []
    assert ActivityEntry.objects.count() == 0
