import stat

import pytest
from django.core.management import CommandError, call_command

from recours.campaigns.models import Campaign
from recours.core.crypto import seal, unseal

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_create_campaign_keys_stores_public_and_writes_private_0600(campaign, tmp_path):
    Campaign.objects.filter(pk=campaign.pk).update(public_key="")
    key_file = tmp_path / "keys" / "plainte.key"

    call_command("create_campaign_keys", campaign.slug, "--private-key-out", str(key_file))

    campaign.refresh_from_db()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    private = key_file.read_text().strip()
    assert unseal(private, seal(campaign.public_key, {"ok": True})) == {"ok": True}


def test_create_campaign_keys_never_replaces_silently(campaign, tmp_path):
    with pytest.raises(CommandError, match="already has a key"):
        call_command(
            "create_campaign_keys", campaign.slug, "--private-key-out", str(tmp_path / "k")
        )


def test_create_campaign_keys_never_overwrites_a_key_file(campaign, tmp_path):
    existing = tmp_path / "k"
    existing.write_text("precious")

    with pytest.raises(CommandError, match="exists"):
        call_command(
            "create_campaign_keys", campaign.slug, "--replace", "--private-key-out", str(existing)
        )

    assert existing.read_text() == "precious"


def test_create_campaign_keys_unknown_campaign(tmp_path):
    with pytest.raises(CommandError, match="no campaign with slug 'nope'"):
        call_command("create_campaign_keys", "nope", "--private-key-out", str(tmp_path / "k"))
