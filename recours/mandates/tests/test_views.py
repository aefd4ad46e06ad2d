import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recours.campaigns.models import Campaign
from recours.core.models import OutboxEmail
from recours.mandates.models import Mandate
from recours.testing import WorkerClient, link_from, make_campaign, old_clock, queued_mails

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def sign_url(campaign):
    return reverse("mandates:sign", args=[campaign.slug])


def count_on_page(client, campaign):
    return client.get(reverse("campaigns:count_json", args=[campaign.slug])).json()["confirmed"]


def tampered(clock: str) -> str:
    """The clock with the last character of its MAC changed."""
    return clock[:-1] + ("A" if clock[-1] != "A" else "B")


def nothing_stored():
    return (Mandate.objects.count(), OutboxEmail.objects.count()) == (0, 0)


def test_whole_flow_sign_confirm_withdraw(client, campaign, sign_data):
    response = client.post(sign_url(campaign), sign_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("mandates:check_mail", args=[campaign.slug])

    mail = queued_mails("confirm")[0]
    confirm_path = link_from(mail.body_text, "/confirmer/")
    assert client.get(confirm_path).status_code == 200
    assert count_on_page(client, campaign) == 0  # following the link confirms nothing

    response = client.post(confirm_path)
    assert response.status_code == 200
    assert "Merci, votre mandat est confirmé" in response.content.decode()
    assert count_on_page(client, campaign) == 1

    manage_path = link_from(mail.body_text, "/mandat/")
    page = client.get(manage_path).content.decode()
    assert "confirmé" in page
    withdraw_path = reverse("mandates:withdraw", args=[campaign.slug, manage_path.split("/")[-2]])
    assert client.get(withdraw_path).status_code == 200
    assert count_on_page(client, campaign) == 1  # the confirmation step changes nothing

    response = client.post(withdraw_path)
    assert response.status_code == 200
    assert count_on_page(client, campaign) == 0
    assert Mandate.objects.get().status == Mandate.Status.WITHDRAWN


def test_the_answer_is_the_same_whether_or_not_the_email_signed(client, campaign, sign_data):
    first = client.post(sign_url(campaign), sign_data())
    client.post(link_from(queued_mails()[0].body_text, "/confirmer/"))
    second = client.post(sign_url(campaign), sign_data(given_names="Autre"))

    assert (first.status_code, first["Location"]) == (second.status_code, second["Location"])
    assert [mail.template for mail in queued_mails()] == ["confirm", "already-signed"]
    assert Mandate.objects.count() == 1


def test_honeypot_answers_like_a_success_and_stores_nothing(client, campaign, sign_data):
    response = client.post(sign_url(campaign), sign_data(website="http://spam.example"))

    assert response.status_code == 302
    assert nothing_stored()


def test_too_fast_submission_is_refused_with_a_message(client, campaign, sign_data):
    response = client.post(sign_url(campaign), sign_data(clock=old_clock(seconds_ago=0)))

    assert response.status_code == 400
    assert "Formulaire envoyé trop vite" in response.content.decode()
    assert nothing_stored()


def test_a_form_shown_before_a_secret_key_rotation_still_signs(
    client, campaign, sign_data, settings
):
    shown = old_clock()
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 50

    assert client.post(sign_url(campaign), sign_data(clock=shown)).status_code == 302
    settings.SECRET_KEY_FALLBACKS = []
    refused = client.post(sign_url(campaign), sign_data(clock=shown))
    assert refused.status_code == 400
    assert "Ce formulaire a expiré." in refused.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"given_names": ""}, "Ce champ est obligatoire."),
        ({"surname": "x" * 100_000}, "au plus 150 caractères"),
        ({"surname": "<script>alert(1)</script>"}, "Utilisez seulement des lettres"),
        ({"given_names": "Ma\x00rianne"}, "Le caractère nul n’est pas autorisé."),
        ({"given_names": "Mar\ufffdanne"}, "Ce champ contient des caractères invalides."),
        ({"email": "pas-une-adresse"}, "Saisissez une adresse de courriel valide."),
        (
            {"email": "m@example.org\r\nBcc: victim@example.org"},
            "Saisissez une adresse de courriel valide.",
        ),
        ({"postal_address": "1 rue <b>x</b>"}, "Ce champ contient des caractères invalides."),
        ({"consent": None}, "Ce champ est obligatoire."),
        ({"privacy": None}, "Ce champ est obligatoire."),
        ({"clock": "forged"}, "Ce formulaire a expiré."),
        ({"clock": tampered(old_clock())}, "Ce formulaire a expiré."),
        ({"clock": old_clock(seconds_ago=25 * 3600)}, "Ce formulaire a expiré."),
    ],
)
def test_bad_input_gets_a_form_error_and_stores_nothing(
    client, campaign, sign_data, overrides, message
):
    response = client.post(sign_url(campaign), sign_data(**overrides))

    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert 'aria-invalid="true"' in page or "form-errors" in page
    assert nothing_stored()


def test_field_errors_are_linked_to_their_field(client, campaign, sign_data):
    page = client.post(sign_url(campaign), sign_data(email="nope")).content.decode()

    assert 'aria-describedby="id_email_error id_email_helptext"' in page
    assert '<ul class="errorlist" id="id_email_error">' in page


def test_one_visitors_errors_never_show_on_the_next_form(client, campaign, sign_data):
    # A sent form borrows the class's fields (forms.py): its error marks must stay its own.
    client.post(sign_url(campaign), sign_data(email="nope", surname="<b>"))
    client.post(sign_url(campaign), sign_data())
    again = client.post(sign_url(campaign), sign_data(given_names=""))
    page = client.get(campaign.get_absolute_url()).content.decode()

    assert 'id="id_given_names"' in again.content.decode()
    assert 'aria-invalid="true" aria-describedby="id_given_names_error"' in again.content.decode()
    assert "aria-invalid" not in page
    assert "id_email_error" not in again.content.decode()


def test_bad_utf8_body_is_refused_cleanly(client, campaign, sign_data):
    data = sign_data()
    body = "&".join(f"{key}={value}" for key, value in data.items() if key != "surname")
    body = body.encode() + b"&surname=Dup%FF%FEontel"

    response = client.post(
        sign_url(campaign), body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 400
    assert "caractères invalides" in response.content.decode()
    assert nothing_stored()


def test_ten_megabyte_body_is_refused_before_parsing(client, campaign, sign_data):
    response = client.post(
        sign_url(campaign),
        b"surname=" + b"x" * 10_000_000,
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 413
    assert "dépassent la taille permise" in response.content.decode()
    assert nothing_stored()


def test_signing_a_closed_campaign_says_so_and_stores_nothing(client, campaign, sign_data):
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)

    response = client.post(sign_url(campaign), sign_data())

    assert response.status_code == 409
    assert "Cette campagne n'accepte pas de signatures" in response.content.decode()
    assert nothing_stored()


def test_signing_a_draft_campaign_is_not_found(client, campaign, sign_data):
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.DRAFT)

    response = client.post(sign_url(campaign), sign_data())

    assert response.status_code == 404
    assert nothing_stored()


def test_signing_a_text_version_no_longer_current_is_refused(client, campaign, sign_data):
    from recours.campaigns.domain import publish_text_versions

    data = sign_data()
    campaign.body = "Texte modifié."
    campaign.save()
    publish_text_versions(campaign=campaign)

    response = client.post(sign_url(campaign), data)

    assert response.status_code == 409
    assert "Le texte a changé pendant votre lecture" in response.content.decode()
    assert nothing_stored()


@pytest.mark.parametrize(
    ("path_name", "method", "text"),
    [
        ("mandates:confirm", "post", "Lien inconnu"),
        ("mandates:manage", "get", "Lien inconnu"),
        ("mandates:withdraw", "post", "Lien inconnu"),
    ],
)
def test_forged_tokens_get_a_clear_page(client, campaign, path_name, method, text):
    response = getattr(client, method)(reverse(path_name, args=[campaign.slug, "forged" * 8]))

    assert response.status_code == 404
    assert text in response.content.decode()


def test_used_confirmation_link_gets_a_clear_page(client, campaign, sign_data):
    client.post(sign_url(campaign), sign_data())
    confirm_path = link_from(queued_mails()[0].body_text, "/confirmer/")
    client.post(confirm_path)

    response = client.post(confirm_path)

    assert response.status_code == 410
    assert "Ce mandat est déjà confirmé" in response.content.decode()


def test_confirm_requires_csrf(client, campaign, sign_data):

    strict = WorkerClient(enforce_csrf_checks=True)
    client.post(sign_url(campaign), sign_data())
    confirm_path = link_from(queued_mails()[0].body_text, "/confirmer/")

    response = strict.post(confirm_path)

    assert response.status_code == 403
    assert Mandate.objects.get().status == Mandate.Status.PENDING


def test_sign_form_in_english(client, campaign, sign_data):
    response = client.post(sign_url(campaign), sign_data(given_names=""), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_get_on_the_sign_address_leads_back_to_the_form(client, campaign):
    response = client.get(sign_url(campaign))

    assert response.status_code == 302
    assert response["Location"] == "/plainte-test/#signer"


def test_campaign_texts_keep_their_own_language_in_an_english_page(client, campaign):
    page = client.get(campaign.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<html lang="en">' in page
    assert '<h1 lang="fr">Plainte contre la surveillance</h1>' in page


def test_a_retried_submission_changes_nothing(client, campaign, sign_data):
    data = sign_data(clock=old_clock(key="same-form-key-0123456789"))

    first = client.post(sign_url(campaign), data)
    confirm_link = link_from(queued_mails()[0].body_text, "/confirmer/")
    retry = client.post(sign_url(campaign), data)

    assert (first.status_code, first["Location"]) == (retry.status_code, retry["Location"])
    assert Mandate.objects.count() == 1
    assert len(queued_mails()) == 1
    assert client.get(confirm_link).status_code == 200  # the first link still works


def test_a_confirmation_link_works_only_under_its_own_campaign(
    client, campaign, sign_data, keypair
):
    other = make_campaign(campaign.organisation, keypair[0], slug="autre-plainte")
    client.post(sign_url(campaign), sign_data())
    confirm_path = link_from(queued_mails()[0].body_text, "/confirmer/")

    elsewhere = client.post(confirm_path.replace(f"/{campaign.slug}/", f"/{other.slug}/"))
    assert elsewhere.status_code == 404
    assert Mandate.objects.get().status == Mandate.Status.PENDING

    assert client.post(confirm_path).status_code == 200
    assert Mandate.objects.get().status == Mandate.Status.CONFIRMED


def test_a_confirmation_takes_seven_statements(client, campaign, sign_data):
    """The token and its mandate read at once, the campaign from the public pages' cache;
    the mandate saved in one update; the hour's tallies in one (campaigns/tallies.py).
    Written by hand (mandates/confirmation_statements.py), they are still these seven."""
    client.post(sign_url(campaign), sign_data())
    confirm_path = link_from(queued_mails()[0].body_text, "/confirmer/")
    client.get(campaign.get_absolute_url())  # the campaign cached, as under load

    with CaptureQueriesContext(connection) as queries:
        assert Client().post(confirm_path).status_code == 200

    statements = [
        " ".join(query["sql"].split()[:3]).replace('"', "")
        for query in queries.captured_queries
        if not query["sql"].startswith(("SAVEPOINT", "RELEASE"))
    ]
    assert statements == [
        "SELECT t.id, t.mandate_id,",
        "UPDATE mandates_mandatetoken SET",
        "UPDATE campaigns_campaign SET",
        "SELECT position, entry_hash",
        "INSERT INTO mandates_logentry",
        "UPDATE mandates_mandate SET",
        "INSERT INTO campaigns_tally",
    ]
    assert Mandate.objects.get().status == Mandate.Status.CONFIRMED


def test_a_confirmation_calls_no_cache_while_it_holds_the_campaigns_row(
    client, campaign, sign_data, monkeypatch
):
    """Every confirmation of a campaign waits for its row's lock (the counter's update)
    until the commit: a round trip to the cache under it held them all up (the rate
    halved at 64 connections, bench/load.py). The cached values are dropped before."""
    from django.core.cache import cache

    client.post(sign_url(campaign), sign_data())
    confirm_path = link_from(queued_mails()[0].body_text, "/confirmer/")
    client.get(campaign.get_absolute_url())
    events = []
    for name in ("get", "set", "add", "delete", "get_many", "set_many", "delete_many", "incr"):
        method = getattr(cache, name)
        monkeypatch.setattr(
            cache, name, lambda *a, _name=name, _method=method, **k: (
                events.append(f"cache {_name}"), _method(*a, **k))[1]
        )  # fmt: skip

    def statement(execute, sql, params, many, context):
        events.append(" ".join(sql.split()[:2]).replace('"', ""))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(statement):
        assert Client().post(confirm_path).status_code == 200

    locked = events.index("UPDATE campaigns_campaign")
    released = next(
        i for i, event in enumerate(events) if i > locked and event.startswith("RELEASE")
    )
    # The count and the log's head, dropped first, in one round trip.
    assert [event for event in events[:locked] if event == "cache delete_many"] == [
        "cache delete_many"
    ]
    assert not [event for event in events[locked:released] if event.startswith("cache")]


def test_a_sign_form_sent_from_another_site_is_refused(client, campaign, sign_data):
    response = client.post(
        sign_url(campaign),
        sign_data(),
        HTTP_SEC_FETCH_SITE="cross-site",
        HTTP_ORIGIN="https://ailleurs.example",
    )

    assert response.status_code == 403
    assert "envoyé depuis un autre site" in response.content.decode()
    assert nothing_stored()
