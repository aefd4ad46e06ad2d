from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "recours.campaigns"
    label = "campaigns"
    verbose_name = _("Campagnes")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from recours.campaigns.models import Campaign, Organisation

        post_save.connect(_forget_campaign, sender=Campaign)
        post_delete.connect(_forget_campaign, sender=Campaign)
        post_save.connect(_forget_organisation, sender=Organisation)


def _forget_campaign(sender, instance, **kwargs):
    from recours.campaigns.domain import forget_public_campaign

    forget_public_campaign(instance.slug)


def _forget_organisation(sender, instance, **kwargs):
    from recours.campaigns.domain import forget_public_campaign

    for slug in instance.campaign_set.values_list("slug", flat=True):
        forget_public_campaign(slug)
