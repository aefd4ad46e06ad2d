"""`python -m recours <command>`: the same commands as manage.py."""

import os
import sys

from django.core.management import execute_from_command_line

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recours.settings")
execute_from_command_line([f"{sys.executable} -m recours", *sys.argv[1:]])
