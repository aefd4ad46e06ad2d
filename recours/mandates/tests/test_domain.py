from datetime import timedelta

import pytest
from django.utils import timezone

from recours.campaigns.domain import confirmed_count, published_texts
from recours.campaigns.models import Campaign
from recours.core.crypto import unseal
from recours.mandates import domain
from recours.mandates.identity import SignerIdentity
from recours.mandates.models import Mandate, MandateToken
from recours.testing import link_from, queued_mails

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

MARIANNE = SignerIdentity(
    given_names="Marianne",
    surname="Dupontel",
    email="marianne@example.org",
    postal_address="12 rue des Lilas",
)


def sign(campaign, identity=MARIANNE):
    return domain.sign_mandate(
        campaign=campaign, identity=identity, texts=published_texts(campaign), language="fr"
    )


def token_from_last_mail(marker):
    return link_from(queued_mails()[-1].body_text, marker).rstrip("/").rsplit("/", 1)[-1]


def test_sign_mandate_stores_a_sealed_pending_mandate(campaign, private_key):
    outcome = sign(campaign)

    mandate = Mandate.objects.get()
    identity = unseal(private_key, mandate.sealed_identity)
    assert outcome == domain.SignOutcome.CREATED
    assert mandate.status == Mandate.Status.PENDING
    assert identity["surname"] == "Dupontel"
    assert identity["complaint_sha256"] == mandate.complaint_version.sha256
    assert [mail.template for mail in queued_mails()] == ["confirm"]


def test_confirm_mandate_counts_once_and_records_evidence(campaign):
    sign(campaign)
    token = token_from_last_mail("/confirmer/")

    mandate = domain.confirm_mandate(token=token)

    campaign.refresh_from_db()
    assert mandate.status == Mandate.Status.CONFIRMED
    assert mandate.confirmation_method == "email"
    assert mandate.evidence_sha256 == domain.evidence_digest(mandate)
    assert campaign.confirmed_count == 1
    with pytest.raises(domain.TokenError) as error:
        domain.confirm_mandate(token=token)
    assert error.value.problem == domain.TokenProblem.USED
    campaign.refresh_from_db()
    assert campaign.confirmed_count == 1


def test_signing_again_while_pending_replaces_identity_and_link(campaign, private_key):
    sign(campaign)
    first_token = token_from_last_mail("/confirmer/")

    outcome = sign(campaign, SignerIdentity("Marianne", "Dupontel-Corrigé", "Marianne@example.org"))

    mandate = Mandate.objects.get()
    assert outcome == domain.SignOutcome.PENDING_AGAIN
    assert unseal(private_key, mandate.sealed_identity)["surname"] == "Dupontel-Corrigé"
    with pytest.raises(domain.TokenError) as error:
        domain.check_confirm_token(token=first_token)
    assert error.value.problem == domain.TokenProblem.UNKNOWN
    assert domain.confirm_mandate(token=token_from_last_mail("/confirmer/")).status == "confirmed"


def test_signing_again_once_confirmed_sends_the_manage_link_only(campaign):
    sign(campaign)
    domain.confirm_mandate(token=token_from_last_mail("/confirmer/"))

    outcome = sign(campaign, SignerIdentity("M", "D", "marianne+autre@example.org"))

    assert outcome == domain.SignOutcome.ALREADY_CONFIRMED
    assert Mandate.objects.count() == 1
    assert queued_mails()[-1].template == "already-signed"
    assert "/confirmer/" not in queued_mails()[-1].body_text


def test_withdraw_mandate_uncounts_and_deletes_the_identity(campaign):
    sign(campaign)
    domain.confirm_mandate(token=token_from_last_mail("/confirmer/"))
    manage_token = token_from_last_mail("/mandat/")

    mandate = domain.withdraw_mandate(token=manage_token)
    again = domain.withdraw_mandate(token=manage_token)

    campaign.refresh_from_db()
    assert mandate.status == Mandate.Status.WITHDRAWN
    assert (mandate.sealed_identity, mandate.email_hash) == (None, "")
    assert again.withdrawn_at == mandate.withdrawn_at
    assert campaign.confirmed_count == 0
    assert confirmed_count(campaign) == 0


def test_withdrawn_signer_can_sign_again(campaign):
    sign(campaign)
    domain.withdraw_mandate(token=token_from_last_mail("/mandat/"))

    outcome = sign(campaign)

    assert outcome == domain.SignOutcome.CREATED
    assert Mandate.objects.filter(status="pending").count() == 1


def test_withdrawing_a_pending_mandate_kills_its_confirmation_link(campaign):
    sign(campaign)
    confirm_token = token_from_last_mail("/confirmer/")
    domain.withdraw_mandate(token=token_from_last_mail("/mandat/"))

    with pytest.raises(domain.TokenError) as error:
        domain.confirm_mandate(token=confirm_token)

    assert error.value.problem == domain.TokenProblem.UNKNOWN
    assert Campaign.objects.get().confirmed_count == 0


def test_confirm_token_expires_after_seven_days(campaign):
    sign(campaign)
    token = token_from_last_mail("/confirmer/")
    MandateToken.objects.filter(purpose="confirm").update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    with pytest.raises(domain.TokenError) as error:
        domain.confirm_mandate(token=token)

    assert error.value.problem == domain.TokenProblem.EXPIRED


def test_confirm_token_never_outlives_the_campaign(campaign):
    sign(campaign)

    expiry = MandateToken.objects.get(purpose="confirm").expires_at

    assert expiry == campaign.closes_at or expiry < campaign.closes_at


def test_confirmation_is_refused_once_the_campaign_closed(campaign):
    sign(campaign)
    token = token_from_last_mail("/confirmer/")
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)

    with pytest.raises(domain.TokenError) as error:
        domain.confirm_mandate(token=token)

    assert error.value.problem == domain.TokenProblem.CLOSED


def test_sign_mandate_refuses_a_closed_campaign(campaign):
    campaign.status = Campaign.Status.CLOSED

    with pytest.raises(domain.CampaignNotOpen):
        sign(campaign)

    assert Mandate.objects.count() == 0


def test_forged_token_is_unknown(campaign):
    with pytest.raises(domain.TokenError) as error:
        domain.confirm_mandate(token="forged-token-" + "a" * 30)

    assert error.value.problem == domain.TokenProblem.UNKNOWN


def test_counter_equals_recount_after_mixed_activity(campaign):
    for index in range(5):
        sign(campaign, SignerIdentity("A", "B", f"person{index}@example.org"))
        if index % 2 == 0:
            domain.confirm_mandate(token=token_from_last_mail("/confirmer/"))
    domain.withdraw_mandate(token=token_from_last_mail("/mandat/"))

    campaign.refresh_from_db()
    assert campaign.confirmed_count == domain.recount_confirmed(campaign) == 2


def test_email_hash_is_scoped_to_the_campaign(campaign, organisation, keypair):
    from recours.testing import make_campaign

    other = make_campaign(organisation, keypair[0], slug="autre")

    assert domain.email_hash_for(campaign, "m@example.org") != domain.email_hash_for(
        other, "m@example.org"
    )
