from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsoleConfig(AppConfig):
    name = "recours.console"
    label = "console"
    verbose_name = _("Console des organisations")

    def ready(self):
        from django.contrib import admin

        from recours.console.access import VERIFIED

        def superuser_with_second_factor(request):
            user = request.user
            return user.is_active and user.is_superuser and bool(request.session.get(VERIFIED))

        # The stock admin stays for superusers only, behind the console's sign-in.
        admin.site.has_permission = superuser_with_second_factor
