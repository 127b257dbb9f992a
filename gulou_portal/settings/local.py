"""Developer machines and the quick start: SQLite and eager Celery unless the environment says otherwise.

DEBUG is off by default here too, so that the quick start shows the portal's Chinese error pages and
never Django's English technical ones; DJANGO_DEBUG=1 turns them on for a developer. WhiteNoise
serves the static files from the apps' folders (no collectstatic needed) whatever DEBUG says.
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=False)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
