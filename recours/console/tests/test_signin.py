"""Signing in: a password, then a second factor; enrolment with recovery codes; replays
and guesses refused; everything throttled."""

import time

import pyotp
import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from recours.console import second_factor
from recours.console.models import RecoveryCode, TotpDevice
from recours.console.tests.conftest import text

pytestmark = pytest.mark.integration
PASSWORD = "a long passphrase 42"


@pytest.fixture
def member(db):
    return User.objects.create_user("camille", "camille@example.org", PASSWORD)


def password_step(client, username="camille", password=PASSWORD, **extra):
    return client.post(
        reverse("console:login"), {"username": username, "password": password}, **extra
    )


def enrol_with_totp(client) -> tuple[str, list[str]]:
    page = client.get(reverse("console:enrol"))
    secret = "".join(page.context["secret_groups"].split())
    response = client.post(reverse("console:enrol"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200
    return secret, response.context["codes"]


def test_a_new_member_enrols_an_app_sees_ten_codes_once_and_is_signed_in(member):
    client = Client()

    first = password_step(client)
    secret, codes = enrol_with_totp(client)
    home = client.get(reverse("console:home"))

    assert first["Location"] == reverse("console:enrol")
    assert len(codes) == 10 and len(set(codes)) == 10
    assert home.status_code == 200
    assert RecoveryCode.objects.filter(user=member).count() == 10
    # Codes are kept as keyed hashes only.
    stored = set(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert not stored & set(codes)
    assert TotpDevice.objects.get(user=member).confirmed_at is not None
    assert bytes(TotpDevice.objects.get(user=member).secret_sealed).find(secret.encode()) == -1


def test_a_member_may_sign_in_with_their_address(member):
    response = password_step(Client(), username="Camille@Example.org")

    assert response["Location"] == reverse("console:enrol")


def test_a_wrong_password_says_so_without_telling_whether_the_account_exists(member):
    wrong = password_step(Client(), password="not the password")
    unknown = password_step(Client(), username="nobody")

    assert wrong.status_code == unknown.status_code == 200
    assert "Identifiant ou mot de passe incorrect." in text(wrong)
    assert "Identifiant ou mot de passe incorrect." in text(unknown)
    assert Client().get(reverse("console:enrol"))["Location"] == reverse("console:login")


def test_the_second_factor_is_asked_at_every_sign_in_and_a_code_serves_once(member):
    enrolling = Client()
    password_step(enrolling)
    secret, _codes = enrol_with_totp(enrolling)
    client = Client()

    password_step(client)
    # The code just used to enrol belongs to a spent time step: refused.
    replayed = client.post(reverse("console:second_factor"), {"code": pyotp.TOTP(secret).now()})
    before = client.get(reverse("console:home"))
    later = pyotp.TOTP(secret).at(time.time() + 30)  # the next step's code is accepted once
    accepted = client.post(reverse("console:second_factor"), {"code": later})

    assert replayed.status_code == 400
    assert "Ce code n'est pas valable, ou il a déjà servi." in text(replayed)
    assert before.status_code == 302
    assert accepted["Location"] == reverse("console:home")
    assert client.get(reverse("console:home")).status_code == 200


def test_a_recovery_code_opens_the_console_once(member):
    enrolling = Client()
    password_step(enrolling)
    _secret, codes = enrol_with_totp(enrolling)
    first, second = Client(), Client()

    password_step(first)
    used = first.post(reverse("console:second_factor"), {"recovery_code": codes[3].upper()})
    password_step(second)
    again = second.post(reverse("console:second_factor"), {"recovery_code": codes[3]})

    assert used["Location"] == reverse("console:home")
    assert again.status_code == 400
    assert second_factor.recovery_codes_left(member) == 9


def test_second_factor_guesses_are_throttled_with_retry_after(member, settings):
    settings.SECOND_FACTOR_RATE_LIMITS = {"account": (5, 900), "network": (30, 900)}
    enrolling = Client()
    password_step(enrolling)
    enrol_with_totp(enrolling)
    client = Client()
    password_step(client)

    answers = [
        client.post(reverse("console:second_factor"), {"code": f"{n:06d}"}) for n in range(5)
    ]

    # The code that enrolled the app counted as one of the account's five attempts.
    assert [answer.status_code for answer in answers] == [400] * 4 + [429]
    assert 0 < int(answers[-1]["Retry-After"]) <= 900
    assert "Trop de tentatives" in text(answers[-1])


def test_the_pending_step_expires_after_ten_minutes(member, monkeypatch):
    client = Client()
    password_step(client)
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 601)

    response = client.get(reverse("console:enrol"))

    assert response["Location"] == reverse("console:login")


def test_a_code_of_the_wrong_shape_gets_a_message_not_an_error(member):
    client = Client()
    password_step(client)

    letters = client.post(reverse("console:enrol"), {"code": "12ab"})
    null = client.post(reverse("console:enrol"), {"code": "12\x00"})

    assert letters.status_code == null.status_code == 400
    assert "Ce code ne correspond pas" in text(letters)
    assert "Il y a un problème" in text(null)


def test_signing_out_ends_the_session(member):
    client = Client()
    password_step(client)
    enrol_with_totp(client)

    client.post(reverse("console:logout"))

    assert client.get(reverse("console:home")).status_code == 302
