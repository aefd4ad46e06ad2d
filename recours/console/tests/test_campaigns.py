"""A campaign from nothing to open in the console, and what bad input meets on the way."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from recours.campaigns.models import Campaign, TextVersion
from recours.console.models import ActivityEntry
from recours.console.tests.conftest import member_client, text
from recours.core.crypto import fingerprint, generate_keypair

pytestmark = pytest.mark.integration


def url(name, campaign_or_slug, *more):
    slug = getattr(campaign_or_slug, "slug", campaign_or_slug)
    return reverse(f"console:{name}", args=[slug, *more])


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


COMPLAINT = {
    "title": "Contre la VSA",
    "summary": "La vidéosurveillance algorithmique est illégale.",
    "body": "## Les faits\n\nDes caméras **analysent** nos gestes.",
    "legal_basis": "RGPD, article 80",
    "authority": "Commission nationale de l'informatique et des libertés",
    "authority_address": "3 place de Fontenoy\n75007 Paris",
    "respondent": "Ministère de l'Intérieur",
}


def ground_form(**extra):
    return {
        "position": "1", "title": "Aucune base légale", "text": "Aucun texte ne l'autorise.",
        "sources-TOTAL_FORMS": "1", "sources-INITIAL_FORMS": "0",
        "sources-MIN_NUM_FORMS": "0", "sources-MAX_NUM_FORMS": "50",
        "sources-0-position": "1", "sources-0-title": "Délibération",
        "sources-0-publisher": "CNIL", "sources-0-date": "2022-07-19",
        "sources-0-url": "https://www.cnil.fr/vsa",
    } | extra  # fmt: skip


def test_an_organiser_takes_a_campaign_from_nothing_to_open(people, organisation):
    client = member_client(people["organiser"])
    public, _private = generate_keypair()
    opens = timezone.now() - timedelta(hours=1)

    created = client.post(
        reverse("console:campaign_new", args=[organisation.pk]),
        {"title": "Contre la VSA", "slug": "contre-la-vsa", "language": "fr"},
    )
    campaign = Campaign.objects.get(slug="contre-la-vsa")
    steps = [
        client.post(url("texts", campaign), COMPLAINT),
        client.post(url("ground_new", campaign), ground_form()),
        client.post(url("mandate", campaign), {"mandate_text": "Je donne mandat à l'association."}),
        client.post(
            url("calendar", campaign),
            {
                "goal": "10000",
                "milestones_text": "1000, 5000",
                "opens_at": local(opens),
                "closes_at": local(opens + timedelta(days=60)),
                "share_fr": "Signez contre la VSA",
                "share_en": "",
            },
        ),  # fmt: skip
        client.post(url("key", campaign), {"public_key": public}),
    ]
    key_page = client.get(url("key", campaign))
    publish_page = client.get(url("publish", campaign))
    published = client.post(url("publish", campaign), {"confirm": "on"})
    opened = client.post(url("status", campaign), {"confirm": "on"})
    public_page = client.get(campaign.get_absolute_url())

    assert created.status_code == 302
    assert [step.status_code for step in steps] == [302] * 5
    assert fingerprint(public) in text(key_page)
    assert "première version" in text(publish_page)
    assert published.status_code == opened.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == "open"
    assert campaign.milestones == [1000, 5000]
    assert campaign.share_messages == {"fr": "Signez contre la VSA"}
    assert campaign.grounds.get().sources.get().publisher == "CNIL"
    assert public_page.status_code == 200
    assert "Des caméras <strong>analysent</strong> nos gestes." in text(public_page)
    actions = list(ActivityEntry.objects.order_by("position").values_list("action", flat=True))
    assert actions == ["campaign.created"] + ["campaign.changed"] * 4 + [
        "key.registered", "texts.published", "status.changed",
    ]  # fmt: skip


def test_a_new_version_of_an_open_campaign_shows_the_difference_and_who_stays_bound(
    people, campaign
):
    client = member_client(people["organiser"])
    client.post(url("texts", campaign), COMPLAINT | {"title": campaign.title, "body": "Nouveau."})

    page = text(client.get(url("publish", campaign)))
    client.post(url("publish", campaign), {"confirm": "on"})

    assert "Les signataires qui ont signé avant restent liés à la version qu'ils ont lue." in page
    assert "ce qui change depuis la version 1" in page
    assert "retiré : </span>Texte : Le texte de la **plainte**.</del>" in page
    assert "ajouté : </span>Texte : Nouveau.</ins>" in page
    complaint = TextVersion.objects.filter(campaign=campaign, kind="complaint")
    assert list(complaint.values_list("number", flat=True).order_by("number")) == [1, 2]


def test_the_preview_is_the_public_page_with_the_draft_and_strips_html(people, campaign):
    client = member_client(people["organiser"])
    client.post(url("texts", campaign), COMPLAINT | {
        "body": 'Brouillon <script>alert(1)</script><img src=x onerror=alert(1)> [lien](javascript:alert(1))',
    })  # fmt: skip

    preview = client.get(url("preview", campaign))
    public = client.get(campaign.get_absolute_url())

    page = text(preview)
    assert preview.status_code == 200
    assert preview["X-Robots-Tag"] == "noindex"
    assert "Aperçu des textes en brouillon" in page
    assert "Brouillon" in page
    assert "<script>alert" not in page and "onerror" not in page and "javascript:" not in page
    assert "Brouillon" not in text(public)  # nothing is public before it is published


@pytest.mark.parametrize(
    ("step", "data", "message"),
    [
        ("calendar", {"goal": "0"}, "Assurez-vous que cette valeur est supérieure ou égale à 1."),
        ("calendar", {"closes_before": True}, "La clôture doit suivre l'ouverture."),
        ("calendar", {"milestones_text": "5000, 1000"}, "Les étapes sont des nombres entiers positifs, croissants."),
        ("calendar", {"milestones_text": "un, deux"}, "Écrivez des nombres entiers séparés par des virgules."),
        ("texts", {"body": "x" * 100_001}, "Assurez-vous que cette valeur comporte au plus 100000 caractères"),
        ("texts", {"title": "Titre\x07"}, "Ce champ contient des caractères invalides."),
        ("key", {"public_key": "AAAA"}, "Ce n'est pas une clé publique"),
        ("key", {"public_key": "é" * 44}, "Ce n'est pas une clé publique"),
    ],
)  # fmt: skip
def test_bad_input_gets_a_message_and_changes_nothing(people, organisation, step, data, message):
    client = member_client(people["organiser"])
    client.post(reverse("console:campaign_new", args=[organisation.pk]),
                {"title": "Brouillon", "slug": "brouillon", "language": "fr"})  # fmt: skip
    campaign = Campaign.objects.get(slug="brouillon")
    before = Campaign.objects.filter(pk=campaign.pk).values().get()
    entries = ActivityEntry.objects.count()
    now = timezone.now()
    forms = {
        "calendar": {"goal": "100", "milestones_text": "", "opens_at": local(now),
                     "closes_at": local(now + timedelta(days=30))},
        "texts": dict(COMPLAINT),
        "key": {},
    }  # fmt: skip
    form = forms[step] | data
    if form.pop("closes_before", False):
        form["closes_at"] = local(now - timedelta(days=1))

    response = client.post(url(step, campaign), form)

    assert response.status_code == 400
    assert message in text(response)
    assert "Rien n'a été enregistré." in text(response)
    assert Campaign.objects.filter(pk=campaign.pk).values().get() == before
    assert ActivityEntry.objects.count() == entries


def test_a_reserved_or_taken_address_is_refused(people, organisation, campaign):
    client = member_client(people["organiser"])
    new = reverse("console:campaign_new", args=[organisation.pk])

    reserved = client.post(new, {"title": "X", "slug": "console", "language": "fr"})
    taken = client.post(new, {"title": "X", "slug": campaign.slug, "language": "fr"})

    assert reserved.status_code == taken.status_code == 400
    assert Campaign.objects.count() == 1


def test_publishing_needs_every_text_and_opening_needs_the_key(people, organisation):
    client = member_client(people["organiser"])
    client.post(reverse("console:campaign_new", args=[organisation.pk]),
                {"title": "Vide", "slug": "vide", "language": "fr"})  # fmt: skip

    publish = client.post(url("publish", "vide"), {"confirm": "on"})
    opening = client.post(url("status", "vide"), {"confirm": "on"})

    assert publish.status_code == 400
    assert "Avant de publier, il manque" in text(publish)
    assert opening.status_code == 400
    assert "il lui faut une clé publique et des textes publiés" in text(opening)
    assert Campaign.objects.get(slug="vide").status == "draft"
    assert not TextVersion.objects.filter(campaign__slug="vide").exists()


def test_an_open_campaigns_key_cannot_be_changed_in_the_console(people, campaign):
    client = member_client(people["organiser"])
    before = campaign.public_key

    response = client.post(url("key", campaign), {"public_key": generate_keypair()[0]})

    campaign.refresh_from_db()
    assert campaign.public_key == before
    assert "sa clé ne change plus ici" in text(response)


def test_each_lifecycle_step_says_what_it_does_before_it_is_taken(people, campaign):
    client = member_client(people["organiser"])
    said = []
    for _ in range(4):
        said.append(text(client.get(url("status", campaign))))
        client.post(url("status", campaign), {"confirm": "on"})
    unconfirmed = client.post(url("status", campaign), {})

    assert "Les inscriptions jamais confirmées seront supprimées à la prochaine purge." in said[0]
    assert "export_sealed plainte-test" in said[1]
    assert "RETENTION_AFTER_CASE_DAYS" in said[2]
    assert "L'affaire est close." in said[3]
    assert unconfirmed.status_code == 200
    campaign.refresh_from_db()
    assert campaign.status == "case_closed"


def test_a_ground_is_saved_with_its_sources_or_not_at_all(people, campaign):
    client = member_client(people["organiser"])
    count = campaign.grounds.count()

    response = client.post(
        url("ground_new", campaign), ground_form(**{"sources-0-url": "pas une adresse"})
    )

    assert response.status_code == 400
    assert campaign.grounds.count() == count


def entries(prefix="entries", total=1, initial=0, **rows):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "60"} | rows  # fmt: skip


def test_a_faq_and_a_timeline_reach_the_public_page_in_the_readers_language(people, campaign):
    client = member_client(people["organiser"])
    # Both pages are in the cache already: the changes must show at once all the same.
    client.get(campaign.get_absolute_url())
    client.get(campaign.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")

    faq = client.post(url("faq", campaign), entries(total=2, **{
        "entries-0-position": "1", "entries-0-language": "fr",
        "entries-0-question": "Mon nom sera-t-il public ?",
        "entries-0-answer": "Non : il est **scellé**. <script>x</script>",
        "entries-1-position": "1", "entries-1-language": "en",
        "entries-1-question": "Will my name be public?", "entries-1-answer": "No.",
    }))  # fmt: skip
    timeline = client.post(url("timeline", campaign), entries(**{
        "entries-0-date": "2022-09-24", "entries-0-language": "fr",
        "entries-0-title": "Plainte déposée devant la CNIL", "entries-0-text": "",
    }))  # fmt: skip
    french = text(client.get(campaign.get_absolute_url()))
    english = text(client.get(campaign.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))

    assert faq.status_code == timeline.status_code == 302
    assert '<details class="faq__item" lang="fr">' in french
    assert "Non : il est <strong>scellé</strong>." in french
    assert "<script>x" not in french
    assert "Will my name be public?" not in french
    assert "Will my name be public?" in english
    assert '<time datetime="2022-09-24">24 septembre 2022</time>' in french
    assert "Plainte déposée devant la CNIL" in english  # no English step: the French one
    assert ActivityEntry.objects.filter(action="campaign.changed").count() == 2


def test_a_bad_language_code_or_date_saves_no_entry(people, campaign):
    client = member_client(people["organiser"])

    response = client.post(url("timeline", campaign), entries(**{
        "entries-0-date": "24/13/2022", "entries-0-language": "français; drop",
        "entries-0-title": "Plainte déposée", "entries-0-text": "",
    }))  # fmt: skip

    assert response.status_code == 400
    assert "Un code de langue comme fr, en ou pt-BR." in text(response)
    assert campaign.timeline.count() == 0
