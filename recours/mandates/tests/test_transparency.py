import pytest
from django.core.cache import cache
from django.urls import reverse

from recours.campaigns.domain import published_texts
from recours.core.merkle import verify_inclusion
from recours.mandates import domain, transparency
from recours.mandates.identity import SignerIdentity
from recours.mandates.models import LogEntry, Mandate
from recours.testing import link_from, queued_mails

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def confirmed_mandates(campaign, count):
    tokens = []
    for index in range(count):
        domain.sign_mandate(
            campaign=campaign,
            identity=SignerIdentity("Camille", "Martin", f"person{index}@example.org"),
            texts=published_texts(campaign),
            language="fr",
        )
        body = queued_mails()[-1].body_text
        domain.confirm_mandate(token=link_from(body, "/confirmer/").split("/")[-2])
        tokens.append(link_from(body, "/mandat/").split("/")[-2])
    return tokens


def entries(campaign):
    return list(LogEntry.objects.filter(campaign=campaign).order_by("position"))


def test_log_counts_what_the_counter_counts(campaign):
    manage_tokens = confirmed_mandates(campaign, 3)
    domain.withdraw_mandate(token=manage_tokens[1])

    head = transparency.log_head(campaign.pk)
    campaign.refresh_from_db()

    assert (head.size, head.count) == (4, 2)
    assert head.count == campaign.confirmed_count
    assert transparency.verify_chain(entries(campaign)) == []


def test_chain_detects_a_removed_entry(campaign):
    confirmed_mandates(campaign, 3)
    log = entries(campaign)

    del log[1]

    assert transparency.verify_chain(log) == ["entry 1 is missing (found 2)"]


def test_chain_detects_an_altered_entry(campaign):
    confirmed_mandates(campaign, 3)
    log = entries(campaign)

    log[1].commitment = "0" * 64

    assert transparency.verify_chain(log) == ["entry 1 was altered or its predecessor removed"]


def test_receipt_gets_an_inclusion_proof_against_the_published_root(campaign):
    confirmed_mandates(campaign, 5)
    mandate = Mandate.objects.order_by("pk")[2]

    check = transparency.check_receipt(
        campaign.pk, commitment=mandate.commitment, position=mandate.log_position
    )

    head = transparency.log_head(campaign.pk)
    assert (check.found, check.withdrawn_at, check.root) == (True, None, head.root)
    assert verify_inclusion(
        bytes.fromhex(check.leaf),
        mandate.log_position,
        check.size,
        [bytes.fromhex(node) for node in check.proof],
        bytes.fromhex(head.root),
    )


def test_receipt_of_a_withdrawn_mandate_says_withdrawn_with_its_time(campaign):
    manage_tokens = confirmed_mandates(campaign, 2)
    withdrawn = domain.withdraw_mandate(token=manage_tokens[0])

    check = transparency.check_receipt(
        campaign.pk, commitment=withdrawn.commitment, position=withdrawn.log_position
    )

    assert check.found is True
    assert abs((check.withdrawn_at - withdrawn.withdrawn_at).total_seconds()) < 1


def test_log_names_nobody(campaign):
    confirmed_mandates(campaign, 2)
    published = repr(list(LogEntry.objects.values()))

    for needle in ("Camille", "Martin", "person0", "example.org"):
        assert needle not in published
    assert [m.commitment_salt not in published for m in Mandate.objects.all()] == [True, True]


def test_transparency_pages(client, campaign):
    confirmed_mandates(campaign, 2)
    mandate = Mandate.objects.first()

    data = client.get(reverse("mandates:transparency_json", args=[campaign.slug])).json()
    page = client.get(reverse("mandates:transparency", args=[campaign.slug])).content.decode()
    verify = client.get(
        reverse("mandates:verify_receipt", args=[campaign.slug]),
        {"position": mandate.log_position, "commitment": mandate.commitment},
    ).content.decode()
    bad = client.get(
        reverse("mandates:verify_receipt", args=[campaign.slug]),
        {"position": "x", "commitment": "zz"},
    )

    assert (data["log_size"], data["count"], data["published_counter"]) == (2, 2, 2)
    assert data["merkle_root"] in page
    assert "Votre mandat est dans le journal et compté" in verify
    assert bad.status_code == 400
    assert "64 caractères hexadécimaux" in bad.content.decode()


def test_confirmed_page_shows_the_receipt(client, campaign, sign_data):
    client.post(reverse("mandates:sign", args=[campaign.slug]), sign_data())

    page = client.post(link_from(queued_mails()[0].body_text, "/confirmer/")).content.decode()

    mandate = Mandate.objects.get()
    assert f"<code>{mandate.commitment}</code>" in page
    assert f"<dd>{mandate.log_position}</dd>" in page


def test_a_head_read_while_an_entry_commits_is_not_kept(
    campaign, django_capture_on_commit_callbacks
):
    before = transparency.log_head(campaign.pk)
    with django_capture_on_commit_callbacks(execute=True):
        transparency.append_entry(campaign_id=campaign.pk, kind="add", commitment="ab" * 32)
        # Another process reads between the append and its commit: it sees the old rows.
        cache.set(transparency._head_key(campaign.pk), before, 300)

    assert transparency.log_head(campaign.pk).size == before.size + 1
