from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class CoreConfig(AppConfig):
    name = "recours.core"
    label = "core"

    def ready(self):
        from recours.core import (
            checks,  # noqa: F401  (registers the checks)
            microcache,
        )

        # Whatever this process saves or deletes may show on a kept answer.
        for signal in (post_save, post_delete):
            signal.connect(microcache.forget_on_change, dispatch_uid="microcache-forget")
