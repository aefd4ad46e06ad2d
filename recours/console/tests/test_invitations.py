"""Invitations: mailed through the outbox, single use, expiring; the invited person
chooses a password and a second factor before reaching anything."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from recours.console.models import Invitation, Membership
from recours.console.tests.conftest import member_client, text
from recours.testing import link_from, queued_mails

pytestmark = pytest.mark.integration


def invite(client, organisation, email="nour@example.org", role="organiser"):
    return client.post(
        reverse("console:organisation", args=[organisation.pk]), {"email": email, "role": role}
    )


def test_an_organiser_invites_by_mail_and_the_link_makes_a_member_once(people, organisation):
    organiser = member_client(people["organiser"])

    invite(organiser, organisation, role="viewer")
    mail = queued_mails("console-invitation")[0]
    path = link_from(mail.body_text, "/console/invitation/")
    newcomer = Client()
    form = newcomer.get(path)
    accepted = newcomer.post(path, {"username": "nour", "password": "correct horse battery 9"})
    replayed = Client().post(path, {"username": "nour2", "password": "correct horse battery 9"})

    assert mail.to == "nour@example.org"
    assert "Association Vigie" in mail.subject
    assert form.status_code == 200
    assert accepted["Location"] == reverse("console:enrol")
    assert Membership.objects.get(user__username="nour").role == "viewer"
    assert replayed.status_code == 410
    assert "Cette invitation ne peut plus servir" in text(replayed)
    assert not User.objects.filter(username="nour2").exists()
    # The token itself is stored nowhere: only its hash.
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert not Invitation.objects.filter(token_hash=token).exists()


def test_an_expired_invitation_creates_nothing(people, organisation):
    invite(member_client(people["organiser"]), organisation)
    path = link_from(queued_mails("console-invitation")[0].body_text, "/console/invitation/")
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = Client().post(path, {"username": "nour", "password": "correct horse battery 9"})

    assert response.status_code == 410
    assert "Elle a expiré." in text(response)
    assert not User.objects.filter(username="nour").exists()


def test_a_weak_password_or_taken_name_is_refused_and_the_invitation_stays_usable(
    people, organisation
):
    invite(member_client(people["organiser"]), organisation)
    path = link_from(queued_mails("console-invitation")[0].body_text, "/console/invitation/")

    weak = Client().post(path, {"username": "nour", "password": "short"})
    taken = Client().post(path, {"username": "ORGA", "password": "correct horse battery 9"})
    good = Client().post(path, {"username": "nour", "password": "correct horse battery 9"})

    assert weak.status_code == taken.status_code == 400
    assert "Cet identifiant est déjà pris." in text(taken)
    assert good.status_code == 302


def test_an_existing_account_joins_with_its_own_password(people, organisation):
    invite(member_client(people["organiser"]), organisation, email="ailleurs@example.org")
    path = link_from(queued_mails("console-invitation")[0].body_text, "/console/invitation/")

    wrong = Client().post(path, {"password": "not it"})
    right = Client().post(path, {"password": "a long passphrase 42"})

    assert wrong.status_code == 400
    assert right["Location"] == reverse("console:enrol")
    assert set(
        Membership.objects.filter(user=people["outsider"]).values_list("role", flat=True)
    ) == {"organiser"}
    assert Membership.objects.filter(user=people["outsider"]).count() == 2


def test_a_second_invitation_to_the_same_address_voids_the_first(people, organisation):
    organiser = member_client(people["organiser"])
    invite(organiser, organisation)
    invite(organiser, organisation)
    first, second = (
        link_from(mail.body_text, "/console/invitation/")
        for mail in queued_mails("console-invitation")
    )

    assert Client().get(first).status_code == 410
    assert Client().get(second).status_code == 200


def test_only_organisers_invite_and_a_bad_address_is_refused(people, organisation):
    viewer = member_client(people["viewer"])
    organiser = member_client(people["organiser"])

    refused = invite(viewer, organisation)
    bad = invite(organiser, organisation, email="not an address")

    assert refused.status_code == 403
    assert bad.status_code == 400
    assert Invitation.objects.count() == 0


def test_a_superuser_creates_an_organisation_and_invites_its_first_member(people):
    superuser = member_client(people["superuser"])

    response = superuser.post(
        reverse("console:organisation_new"),
        {
            "organisation-name": "La Quadrature",
            "organisation-registration_number": "W751208612",
            "organisation-registered_office": "60 rue des Orteaux\n75020 Paris",
            "organisation-statutory_object": "Défendre les libertés.",
            "organisation-contact_email": "contact@lqdn.example",
            "invitation-email": "premiere@lqdn.example",
            "invitation-role": "organiser",
        },
    )

    assert response.status_code == 302
    assert queued_mails("console-invitation")[0].to == "premiere@lqdn.example"


def test_an_organiser_removes_a_member(people, organisation):
    organiser = member_client(people["organiser"])
    viewer = Membership.objects.get(user=people["viewer"])

    organiser.post(reverse("console:member_remove", args=[organisation.pk, viewer.pk]))

    assert not Membership.objects.filter(pk=viewer.pk).exists()
    assert (
        member_client(people["viewer"])
        .get(reverse("console:organisation", args=[organisation.pk]))
        .status_code
        == 404
    )
