from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MandatesConfig(AppConfig):
    name = "recours.mandates"
    label = "mandates"
    verbose_name = _("Mandats")

    def ready(self):
        from recours.core.bounces import mail_bounced, mail_outcome
        from recours.core.metrics import GAUGES
        from recours.core.worker import STEPS
        from recours.mandates.domain import on_mail_bounced, on_mail_outcome, signature_gauges
        from recours.mandates.intake import WORKER_STEP
        from recours.mandates.intake import gauges as intake_gauges

        mail_bounced.connect(on_mail_bounced, dispatch_uid="mandates-bounce")
        mail_outcome.connect(on_mail_outcome, dispatch_uid="mandates-mail-outcome")
        for gauges in (signature_gauges, intake_gauges):
            if gauges not in GAUGES:
                GAUGES.append(gauges)
        if WORKER_STEP not in STEPS:
            STEPS.append(WORKER_STEP)
