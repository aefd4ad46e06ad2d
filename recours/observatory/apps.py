from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservatoryConfig(AppConfig):
    name = "recours.observatory"
    label = "observatory"
    verbose_name = _("Observatoire")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from recours.observatory.mapdata import warm_after_commit
        from recours.observatory.models import Claim, Funding

        # What the map and the table show changes with every claim or funding row: the
        # next version is built when the change is committed, not by the next visitor.
        for model in [Claim, Funding]:
            post_save.connect(warm_after_commit, sender=model, dispatch_uid=f"warm-{model}")
            post_delete.connect(warm_after_commit, sender=model, dispatch_uid=f"warm-d-{model}")
