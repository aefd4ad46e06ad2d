import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recours.settings")
django_application = get_wsgi_application()

# Both need the settings loaded above.
from recours.core.microcache import MicroCacheFront  # noqa: E402
from recours.core.warmup import freeze_loaded, warm_up  # noqa: E402

# A kept public answer goes out before Django's handler; everything else goes through it.
application = MicroCacheFront(django_application)
warm_up()
freeze_loaded()
