"""Creates a moderator's token for the observatory API's writes and prints it once.

    manage.py create_api_token USERNAME [--name laptop]

The user must be allowed to change claims (a superuser, or in a group with that right).
Revoke a token by deleting it in the admin.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from recours.core.crypto import new_token
from recours.observatory.models import ApiToken


class Command(BaseCommand):
    help = "Creates an API token for a moderator and prints it once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="api")

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username!r}")
        if not user.has_perm("observatory.change_claim"):
            raise CommandError(f"{username!r} may not change claims: give them that right first")
        token, token_hash = new_token()
        ApiToken.objects.create(user=user, name=name, token_hash=token_hash)
        self.stdout.write(token)
