"""Medians, spreads and ratios from the output of run.sh: python bench/search/summarise.py FILE"""

import re
import statistics
import sys
from collections import defaultdict
from pathlib import Path

LINE = re.compile(r"^(\S+) round=(\d+) (.*)$")


def main(path: str) -> None:
    runs: dict[str, list[dict[str, float]]] = defaultdict(list)
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        match = LINE.match(line.strip())
        if match:
            fields = dict(pair.split("=") for pair in match.group(3).split())
            runs[match.group(1)].append({k: float(v) for k, v in fields.items()})

    def med(name: str, key: str) -> float:
        return statistics.median(run[key] for run in runs[name])

    def spread(name: str, key: str) -> str:
        values = [run[key] for run in runs[name]]
        return f"{min(values):.1f}–{max(values):.1f}"

    print("| target | rps median (spread) | p50 ms | p95 ms median (spread) | errors |")
    print("|---|---|---|---|---|")
    for name in runs:
        errors = sum(run["errors"] + run["non2xx"] for run in runs[name])
        rps, p50, p95 = med(name, "rps"), med(name, "p50_ms"), med(name, "p95_ms")
        print(
            f"| {name} | {rps:.1f} ({spread(name, 'rps')}) | {p50:.1f} "
            f"| {p95:.1f} ({spread(name, 'p95_ms')}) | {errors:.0f} |"
        )
    print()
    for kind in ("mix", "selective", "broad"):
        if f"api-{kind}" in runs and f"fts-{kind}" in runs:
            rps = med(f"api-{kind}", "rps") / med(f"fts-{kind}", "rps")
            p95 = med(f"api-{kind}", "p95_ms") / med(f"fts-{kind}", "p95_ms")
            print(f"- {kind}: throughput api/fts = {rps:.2f}, p95 api/fts = {p95:.2f}")
    for name in ("page-mix", "geojson-mix"):
        if name in runs and "fts-mix" in runs:
            print(
                f"- {name}: throughput / fts-mix = {med(name, 'rps') / med('fts-mix', 'rps'):.2f}"
            )
    if "hello" in runs:
        print(f"- hello: {med('hello', 'rps'):.0f} rps")
        for name in ("offer-detail", "area-page", "offer-detail-cached", "area-page-cached"):
            if name in runs:
                ratio = med(name, "rps") / med("hello", "rps")
                print(f"- {name}: throughput / hello = {ratio:.2f}")


if __name__ == "__main__":
    main(sys.argv[1])
