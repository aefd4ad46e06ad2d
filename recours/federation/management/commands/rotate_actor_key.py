from django.core.management.base import BaseCommand, CommandError

from recours.federation.actors import rotate_key
from recours.federation.models import Actor


class Command(BaseCommand):
    help = (
        "Gives a fediverse actor a new key pair (if its private key may have leaked) and "
        "sends an Update of the actor to its followers' servers, which read the new key; a "
        "server that missed it fetches the key again when a signature fails to verify."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="a campaign's address, or observatoire")

    def handle(self, *args, username, **options):
        actor = Actor.objects.filter(username=username, deleted_at=None).first()
        if actor is None:
            raise CommandError(f"no fediverse actor {username!r} here")
        servers = rotate_key(actor)
        self.stdout.write(f"new key for {username}; an Update goes to {servers} server(s)")
