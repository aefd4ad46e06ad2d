from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "recours.core"
    label = "core"

    def ready(self):
        from recours.core import checks  # noqa: F401  (registers the checks)
