"""Members of two organisations, one per role, and clients signed in as each with their
second factor checked (the sign-in itself is tested in test_signin.py)."""

import html

import pytest
from django.contrib.auth.models import User
from django.test import Client

from recours.campaigns.models import Organisation
from recours.console.models import Membership, Role
from recours.testing import signed_in


def text(response) -> str:
    """A page's HTML with its entities read (an apostrophe is &#x27; in Django's output)."""
    return html.unescape(response.content.decode())


def member_client(user) -> Client:
    return signed_in(Client(), user)


@pytest.fixture
def other_organisation(db):
    return Organisation.objects.create(
        name="Collectif Autre",
        registration_number="W131000002",
        registered_office="2 place du Test\n13001 Marseille",
        statutory_object="Autre chose.",
        contact_email="contact@autre.example",
    )


def _member(username, organisation, role):
    user = User.objects.create_user(username, f"{username}@example.org", "a long passphrase 42")
    if organisation is not None:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def people(organisation, other_organisation):
    """One account per kind of visitor the console must tell apart."""
    superuser = User.objects.create_superuser("root", "root@example.org", "a long passphrase 42")
    return {
        "organiser": _member("orga", organisation, Role.ORGANISER),
        "viewer": _member("lecture", organisation, Role.VIEWER),
        "moderator": _member("modo", organisation, Role.MODERATOR),
        "outsider": _member("ailleurs", other_organisation, Role.ORGANISER),
        "superuser": superuser,
    }
