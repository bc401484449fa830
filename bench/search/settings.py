"""Bench-only settings: the production settings with a URLconf that adds the baselines.

Never used by the product; see bench/README.md.
"""

from quartier.settings import *  # noqa: F403

ROOT_URLCONF = "bench.search.urls"
DEBUG = False
