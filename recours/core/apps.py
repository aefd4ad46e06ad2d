from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "recours.core"
    label = "core"
