import pytest
from django.core.management import CommandError, call_command

from recours.console.models import Membership
from recours.mandates.management.commands.seed_demo import create_demo_campaign

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_the_demo_accounts_exist_only_in_the_demo(settings, keypair, capsys):
    create_demo_campaign(keypair[0])
    with pytest.raises(CommandError, match="only with RECOURS_MODE=demo"):
        call_command("seed_console_demo")
    settings.MODE = "demo"

    call_command("seed_console_demo")
    call_command("seed_console_demo")  # twice: nothing doubled

    roles = dict(Membership.objects.values_list("user__username", "role"))
    assert roles == {"organisatrice": "organiser", "moderateur": "moderator"}
    assert "organisatrice / demo-recours-console" in capsys.readouterr().out
