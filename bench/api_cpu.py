"""CPU time and queries of API answers in one process (the Django test client, no server).

    export PYTHONPATH=. DJANGO_SETTINGS_MODULE=bench.search.settings
    export QUARTIER_VAR_DIR=/tmp/bench-concerns QUARTIER_PAGE_CACHE_SECONDS=0
    QUARTIER_API_CACHE_SECONDS=600 .venv/bin/python bench/api_cpu.py \\
        "/bench/hello?q=x" "/api/open311/v2/requests.json"

Per path: two warm-up requests, the queries of one (DEBUG on for it), then the mean CPU time of
five; PROFILE=1 adds a cProfile of three more (by cumulative time). For comparing answers on a
busy machine: CPU time, not wall time. Not part of the test suite.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import sys
import time

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402


def main(paths: list[str]) -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    for path in paths:
        for _ in range(2):
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        settings.DEBUG = True
        reset_queries()
        response = client.get(path)
        queries = len(connection.queries)
        settings.DEBUG = False
        started = time.process_time()
        for _ in range(5):
            client.get(path)
        cpu = (time.process_time() - started) / 5 * 1000
        print(f"{path}: {cpu:.1f} ms CPU, {queries} queries, {len(response.content)} bytes")
        if os.environ.get("PROFILE"):
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(3):
                client.get(path)
            profile.disable()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(35)


if __name__ == "__main__":
    main(sys.argv[1:])
