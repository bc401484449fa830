"""CPU time per response in one process (no server, no wrk): the planner's dashboards against
hello, each request through the whole middleware stack with the planner's session. CPU time
of the process, not wall time, so the figures hold better on a shared, busy machine than
wrk's; read them as ratios (hello's CPU / the page's CPU), as the wrk protocol does.

    QUARTIER_VAR_DIR=/tmp/bench-dashboard .venv/bin/python bench/dashboard/inprocess.py
(after bench/dashboard/generate.py or run.sh). Options: --rounds N (5), --requests N (20).

`frame` is a back-office page with nothing of its own (bench only, added here to the bench
URLconf): login, the back-office layout with its navigation
and an empty content block; what every back-office page pays. `denied` is a back-office page
the planner may not see (403 before any template): session, user, second factor, roles, one
rule.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.search.settings"
os.environ.setdefault("QUARTIER_SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("QUARTIER_DEBUG", "0")
os.environ.setdefault("QUARTIER_PAGE_CACHE_SECONDS", "0")

TARGETS = {
    "hello": "/bench/hello",
    "frame": "/bench/backoffice-frame",
    "denied": "/verwaltung/accounts/rollen/",
    "dashboard": "/verwaltung/",
    "city": "/verwaltung/projects/gebiet/bench-stadt/",
    "quarter": "/verwaltung/projects/gebiet/bench-quartier-1/",
}


def _add_frame_page() -> None:
    import logging

    from django.contrib.auth.decorators import login_required
    from django.shortcuts import render
    from django.urls import clear_url_caches, path

    from bench.search import urls

    @login_required
    def frame(request):  # type: ignore[no-untyped-def]
        return render(request, "layout/backoffice.html", {})

    urls.urlpatterns.append(path("bench/backoffice-frame", frame))
    clear_url_caches()
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # the 403s


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    _add_frame_page()
    from django.test import Client

    from bench.dashboard.generate import PLANNER, session_cookie
    from quartier.accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies.load(session_cookie(User.objects.get(username=PLANNER)))
    for path in TARGETS.values():
        response = client.get(path)
        expected = 403 if path == TARGETS["denied"] else 200
        assert response.status_code == expected, (path, response.status_code)
    rounds: dict[str, list[float]] = {name: [] for name in TARGETS}
    sizes = {name: len(client.get(path).content) for name, path in TARGETS.items()}
    for _round in range(args.rounds):
        for name, path in TARGETS.items():  # interleaved, as the wrk protocol
            started = time.process_time()
            for _i in range(args.requests):
                client.get(path)
            rounds[name].append((time.process_time() - started) / args.requests * 1000)
    hello = statistics.median(rounds["hello"])
    result = {
        name: {
            "cpu_ms_median": round(statistics.median(values), 2),
            "cpu_ms_spread": [round(min(values), 2), round(max(values), 2)],
            "ratio_to_hello": round(hello / statistics.median(values), 3),
            "bytes": sizes[name],
        }
        for name, values in rounds.items()
    }
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
