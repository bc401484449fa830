"""An open-loop load test of public pages and the API: requests arrive at a fixed rate, as
visitors do, whether or not the server keeps up (wrk and ab wait for each answer, so a slow
server lowers their request rate and hides its queueing). Standard library only.

    python bench/loadtest/run.py http://127.0.0.1:8000 --rate 40 --seconds 60 [--mix FILE]

The default mix (MIX below) is a large city's public traffic as docs/operations.md models it:
mostly area and offer pages, searches, the calendar, the map's GeoJSON, and the open APIs
(HSDS, OParl, Open311) that other directories and apps harvest. Paths are discovered from the
site itself (the home page's areas, the search's offers), so it runs against any installation
with data. Prints achieved rate, p50/p95/p99 latency and errors per kind, and one JSON line.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import re
import statistics
import threading
import time
import urllib.parse
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

# (kind, share of requests, path or a template filled from discovered values)
MIX = [
    ("home", 0.06, "/"),
    ("area-page", 0.16, "/gebiete/{area}/"),
    ("offer-page", 0.20, "{offer}"),
    ("search-page", 0.12, "/angebote/?q={word}"),
    ("search-api", 0.10, "/api/search/offers?q={word}"),
    ("calendar", 0.08, "/veranstaltungen/"),
    ("geojson", 0.06, "/api/search/offers.geojson?q={word}"),
    ("hsds-api", 0.08, "/api/hsds/services?page={page}"),
    ("oparl-api", 0.06, "/api/oparl/v1/system"),
    ("open311-api", 0.04, "/api/open311/v2/services.json"),
    ("healthz", 0.04, "/healthz"),
]
WORDS = ["Beratung", "Kita", "Familie", "Sprachkurs", "Jugend", "Senioren", "Schulden", "Hilfe"]


def discover(base: str) -> dict[str, list[str]]:
    def fetch(path: str) -> str:
        parts = urllib.parse.urlsplit(base)
        conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=30)
        conn.request("GET", path)
        body = conn.getresponse().read().decode(errors="replace")
        conn.close()
        return body

    home = fetch("/")
    areas = sorted(set(re.findall(r'href="/gebiete/([a-z0-9-]+)/"', home))) or ["-"]
    found = fetch("/angebote/?q=Beratung")
    offers = sorted(set(re.findall(r'href="(/angebote/[0-9a-f-]{36}/)"', found))) or ["/"]
    return {"area": areas, "offer": offers, "word": WORDS, "page": [str(n) for n in range(1, 6)]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--rate", type=float, default=20.0, help="requests per second")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--threads", type=int, default=64)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    values = discover(args.base)
    kinds = [kind for kind, _share, _path in MIX]
    weights = [share for _kind, share, _path in MIX]
    templates = {kind: path for kind, _share, path in MIX}
    parts = urllib.parse.urlsplit(args.base)
    local = threading.local()
    results: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    late: list[float] = []
    lock = threading.Lock()

    def connection() -> http.client.HTTPConnection:
        if getattr(local, "conn", None) is None:
            local.conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=30)
        return local.conn

    def one(kind: str, path: str, due: float) -> None:
        start = time.perf_counter()
        try:
            conn = connection()
            conn.request("GET", path, headers={"Accept-Language": "de"})
            response = conn.getresponse()
            response.read()
            ok = response.status < 400
        except (OSError, http.client.HTTPException):
            local.conn = None
            ok = False
        # Latency from the moment the request was due: queueing in the client counts too.
        took = (time.perf_counter() - due) * 1000
        with lock:
            if ok:
                results[kind].append(took)
            else:
                errors[kind] += 1
            late.append((start - due) * 1000)

    began = time.perf_counter()
    total = int(args.rate * args.seconds)
    with ThreadPoolExecutor(max_workers=args.threads) as pool:
        for index in range(total):
            due = began + index / args.rate
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            kind = rng.choices(kinds, weights)[0]
            path = templates[kind].format(**{key: rng.choice(v) for key, v in values.items()})
            pool.submit(one, kind, path, due)
    elapsed = time.perf_counter() - began
    every = sorted(value for values_ in results.values() for value in values_)

    def pct(data: list[float], q: float) -> float:
        return data[min(len(data) - 1, int(q * len(data)))] if data else float("nan")

    print(f"{'kind':<14} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
    for kind in kinds:
        data = sorted(results[kind])
        print(
            f"{kind:<14} {len(data):>6} {pct(data, 0.5):>8.1f} {pct(data, 0.95):>8.1f} "
            f"{errors[kind]:>7}"
        )
    summary = {
        "offered_rps": args.rate,
        "achieved_rps": round(len(every) / elapsed, 1),
        "requests": total,
        "errors": sum(errors.values()),
        "p50_ms": round(pct(every, 0.5), 1),
        "p95_ms": round(pct(every, 0.95), 1),
        "p99_ms": round(pct(every, 0.99), 1),
        "client_late_p95_ms": round(pct(sorted(late), 0.95), 1),
        "mean_ms": round(statistics.fmean(every), 1) if every else None,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
