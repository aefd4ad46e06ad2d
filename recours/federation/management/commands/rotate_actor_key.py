from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from recours.core.crypto import sha256_hex
from recours.federation.keys import new_key_pair
from recours.federation.models import Activity, Actor
from recours.federation.publish import deliver_to_followers


class Command(BaseCommand):
    help = (
        "Gives a fediverse actor a new key pair (if its private key may have leaked) and "
        "sends an Update of the actor to its followers' servers, which read the new key; a "
        "server that missed it fetches the key again when a signature fails to verify."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="a campaign's address, or observatoire")

    def handle(self, *args, username, **options):
        from recours.federation.views import actor_document_of

        actor = Actor.objects.filter(username=username, deleted_at=None).first()
        if actor is None:
            raise CommandError(f"no fediverse actor {username!r} here")
        public_pem, sealed = new_key_pair()
        with transaction.atomic():
            Actor.objects.filter(pk=actor.pk).update(
                public_key_pem=public_pem, private_key_sealed=sealed
            )
            actor.refresh_from_db()
            document = actor_document_of(actor)
            update = Activity.objects.create(
                actor=actor,
                event=f"update-key-{sha256_hex(public_pem.encode())[:16]}",
                kind=Activity.Kind.UPDATE,
                payload={
                    "@context": document["@context"],
                    "id": document["id"] + f"#update-{sha256_hex(public_pem.encode())[:16]}",
                    "type": "Update",
                    "actor": document["id"],
                    "object": document,
                    "to": ["https://www.w3.org/ns/activitystreams#Public"],
                },
            )
            servers = deliver_to_followers(update)
        self.stdout.write(f"new key for {username}; an Update goes to {servers} server(s)")
