"""Settings of the load test's processes: production's, with static files collected into a folder of the run's own.

bench/load.py points DJANGO_SETTINGS_MODULE here and sets LOAD_STATIC_ROOT; everything else is production's, read
from the environment it passes.
"""
from config.settings.production import *  # noqa: F403
from config.settings.production import env

STATIC_ROOT = env.path("LOAD_STATIC_ROOT")
