import pytest
from django.urls import reverse

from recours.testing import queued_mails

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.mark.parametrize(
    "model",
    [
        "campaigns_campaign",
        "campaigns_textversion",
        "campaigns_organisation",
        "mandates_mandate",
        "mandates_signerupdate",
        "core_outboxemail",
    ],
)
def test_admin_lists_load_and_never_show_a_signer(admin_client, campaign, sign_data, model):
    admin_client.post(reverse("mandates:sign", args=[campaign.slug]), sign_data())
    assert len(queued_mails()) == 1  # the outbox row still holds the address

    response = admin_client.get(reverse(f"admin:{model}_changelist"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "marianne.dupontel" not in page
    assert "Dupontel" not in page


def test_published_versions_cannot_be_edited_in_the_admin(admin_client, campaign):
    version = campaign.versions.first()

    response = admin_client.post(
        reverse("admin:campaigns_textversion_change", args=[version.pk]), {"sha256": "0" * 64}
    )

    version.refresh_from_db()
    assert response.status_code == 403
    assert version.sha256 != "0" * 64


def test_every_model_and_field_has_a_translated_name():
    """The admin shows model and field names: none may fall back to Django's English made
    from the code ("Osm cameras", "Confirmed count")."""
    from django.apps import apps
    from django.utils import translation
    from django.utils.functional import Promise

    untranslated = []
    for model in apps.get_models():
        if not model.__module__.startswith("recours."):
            continue
        names = {"model": model._meta.verbose_name, "plural": model._meta.verbose_name_plural}
        for field in model._meta.get_fields():
            if getattr(field, "verbose_name", None) is not None and field.name != "id":
                if field.concrete or not field.auto_created:
                    names[field.name] = field.verbose_name
        for what, name in names.items():
            if not isinstance(name, Promise):
                untranslated.append(f"{model.__name__}.{what}: {name!r}")
    with translation.override("en"):
        assert (
            str(
                apps.get_model("campaigns", "Campaign")
                ._meta.get_field("confirmed_count")
                .verbose_name
            )
            == "confirmed mandates"
        )
        assert (
            str(apps.get_model("observatory", "OsmCamera")._meta.verbose_name_plural)
            == "OpenStreetMap cameras"
        )

    assert untranslated == []
