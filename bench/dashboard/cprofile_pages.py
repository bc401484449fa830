"""cProfile of N back-office requests of the planner in one process (see inprocess.py), to
find what every back-office request pays.

    QUARTIER_VAR_DIR=/tmp/bench-dashboard .venv/bin/python bench/dashboard/cprofile_pages.py PATH
Options: --requests N (20), --sort tottime|cumulative, --limit N (40), --queries (print the
SQL of one request).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.search.settings"
os.environ.setdefault("QUARTIER_SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("QUARTIER_DEBUG", "0")
os.environ.setdefault("QUARTIER_PAGE_CACHE_SECONDS", "0")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--limit", type=int, default=40)
    parser.add_argument("--queries", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.dashboard.generate import PLANNER, session_cookie
    from quartier.accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies.load(session_cookie(User.objects.get(username=PLANNER)))
    assert client.get(args.path).status_code == 200
    if args.queries:
        with CaptureQueriesContext(connection) as queries:
            client.get(args.path)
        for query in queries.captured_queries:
            print(query["sql"][:300])
        print(len(queries.captured_queries), "queries")
    profiler = cProfile.Profile()
    profiler.enable()
    for _i in range(args.requests):
        client.get(args.path)
    profiler.disable()
    pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.limit)


if __name__ == "__main__":
    main()
