"""CPU time of the concerns map and Open311 pages in one process, with their query counts and
plans: for comparing two versions of the code on a busy machine (run both, interleaved, with
`nice -n 10`), where wrk's figures move with the neighbours' load.

    QUARTIER_VAR_DIR=/tmp/bench-concerns .venv/bin/python bench/concerns/inprocess.py [--plans]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.search.settings")
os.environ.setdefault("QUARTIER_PAGE_CACHE_SECONDS", "0")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

TARGETS = {
    "map-county": "/anliegen/karte.geojson?bbox=6.20,49.45,7.10,50.05",
    "map-town": "/anliegen/karte.geojson?bbox=6.55,49.70,6.75,49.80",
    "map-street": "/anliegen/karte.geojson?bbox=6.630,49.745,6.645,49.755",
    "open311-page1": "/api/open311/v2/requests.json",
    "open311-page40": "/api/open311/v2/requests.json?page=40",
    "open311-100-page400": "/api/open311/v2/requests.json?page_size=100&page=400",
    # The same page as its previous page's next link gives it (keyset).
    "open311-100-page400-link": (
        "/api/open311/v2/requests.json?page_size=100&page=400&after={after}"
    ),
    "open311-open-since": (
        "/api/open311/v2/requests.json?status=open&start_date=2025-01-01&page_size=100"
    ),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--plans", action="store_true", help="print the queries' plans")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    from quartier.concerns.selectors import public_concerns

    after = public_concerns().order_by("-pk").values_list("pk", flat=True)[39_899]
    for name, path in TARGETS.items():
        path = path.format(after=after)
        client.get(path)  # warm
        times = []
        for _round in range(args.rounds):
            started = time.process_time()
            response = client.get(path)
            times.append((time.process_time() - started) * 1000)
        assert response.status_code == 200, (name, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        times.sort()
        print(
            f"{name:22} cpu median {times[len(times) // 2]:7.1f} ms  min {times[0]:7.1f}  "
            f"queries {len(queries)}  bytes {len(response.content)}",
            flush=True,
        )
        if args.plans:
            for query in queries:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
                with connection.cursor() as cursor:
                    cursor.execute(explain + sql)
                    plan = "\n      ".join(" ".join(map(str, row)) for row in cursor.fetchall())
                print(f"    {sql[:160]}\n      {plan}")


if __name__ == "__main__":
    main()
