"""Bench-only settings: the production settings with a URLconf that adds the baselines.

Never used by the product; see bench/README.md.
"""

import os

from quartier.settings import *  # noqa: F403

ROOT_URLCONF = "bench.search.urls"
DEBUG = False

# Plain static storage: the product's manifest storage needs a collectstatic (minutes on the
# loaded bench machine) and static URLs are not what this benchmark measures.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The answer cache (quartier/core/answercache.py), for the "-cached" servers of the benchmarks;
# the product reads it from its settings (default: the page cache's time).
if "QUARTIER_API_CACHE_SECONDS" in os.environ:
    QUARTIER_API_CACHE_SECONDS = int(os.environ["QUARTIER_API_CACHE_SECONDS"])
