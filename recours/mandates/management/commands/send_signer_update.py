from django.core.management.base import BaseCommand, CommandError

from recours.mandates.models import SignerUpdate
from recours.mandates.updates import UpdateAlreadySent, send_signer_update


class Command(BaseCommand):
    help = "Queues a written update for the signers who asked for news (the worker sends it)."

    def add_arguments(self, parser):
        parser.add_argument("update_id", type=int)

    def handle(self, *args, update_id, **options):
        update = SignerUpdate.objects.select_related("campaign").filter(pk=update_id).first()
        if update is None:
            raise CommandError(f"no update #{update_id}")
        try:
            count = send_signer_update(update=update)
        except UpdateAlreadySent as exc:
            raise CommandError(f"update #{update_id} was already sent") from exc
        self.stdout.write(f"{count} mails queued")
