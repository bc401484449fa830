"""HSDS import benchmark: generate N offers as an HSDS data package, time the import into SQLite.

    .venv/bin/python bench/hsds_import.py --offers 10000 --runs 3

Each run imports into a fresh, migrated SQLite database (WAL, in a temporary folder), as the
`hsds_import` command does: read the CSV files, check every row, write with bulk operations in
one transaction. The search index update that the command runs afterwards (quartier.search) is
timed on its own. Prints the median, the spread and offers per second. Figures go into
docs/performance.md ("HSDS import"). The goal: at least 2,000 offers per second.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STREETS = [
    "Hauptstraße",
    "Bahnhofstraße",
    "Schulstraße",
    "Kirchweg",
    "Am Markt",
    "Lindenallee",
    "Moselufer",
    "Gartenstraße",
    "Römerstraße",
    "Talweg",
]
TOWNS = [
    ("54290", "Trier"),
    ("54411", "Hermeskeil"),
    ("54427", "Kell am See"),
    ("54439", "Saarburg"),
    ("54329", "Konz"),
]
KINDS = ["Beratung", "Treff", "Sprechstunde", "Gruppe", "Kurs", "Hilfe"]
TOPICS = [
    "Frühe Hilfen",
    "Erziehungsberatung",
    "Kita",
    "Schulsozialarbeit",
    "Jugendtreff",
    "Schuldnerberatung",
    "Migrationsberatung",
    "Gesundheit",
    "Freizeit",
    "Bildung",
    "Wohnen",
]


GIVEN = ["Anna", "Jonas", "Leonie", "Mehmet", "Sofia", "Paul", "Olga", "Tim"]
FAMILY = ["Becker", "Schmitt", "Yilmaz", "Wagner", "Nowak", "Klein", "Hoffmann", "Weber"]


def _id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def generate(folder: Path, offers: int, seed: int = 1, contacts: int = 0) -> None:
    """An HSDS package of a synthetic county: ten offers per organisation, one place each,
    and `contacts` contact persons per offer (name, e-mail, a phone)."""
    rng = random.Random(seed)
    tables: dict[str, list[dict]] = {
        name: []
        for name in (
            "organizations",
            "services",
            "locations",
            "addresses",
            "service_at_location",
            "schedules",
            "phones",
            "languages",
            "taxonomies",
            "taxonomy_terms",
            "attributes",
            "cost_options",
            "contacts",
        )
    }
    taxonomy = _id(rng)
    tables["taxonomies"].append({"id": taxonomy, "name": "Themen", "description": ""})
    terms = []
    for i, name in enumerate(TOPICS):
        terms.append(_id(rng))
        tables["taxonomy_terms"].append(
            {
                "id": terms[-1],
                "code": f"t{i}",
                "name": name,
                "description": "",
                "taxonomy_id": taxonomy,
            }
        )
    org = None
    for n in range(offers):
        if n % 10 == 0:
            org = _id(rng)
            tables["organizations"].append(
                {
                    "id": org,
                    "name": f"Träger {n // 10} e. V.",
                    "description": "Freier Träger der Jugendhilfe.",
                    "email": f"info{n}@example.org",
                }
            )
        sid, lid = _id(rng), _id(rng)
        postcode, town = rng.choice(TOWNS)
        topic = rng.choice(TOPICS)
        tables["services"].append(
            {
                "id": sid,
                "organization_id": org,
                "name": f"{topic}: {rng.choice(KINDS)} {n}",
                "description": f"{topic} für Familien in {town}. Offen für alle, kostenlos.",
                "status": "active",
                "email": f"angebot{n}@example.org",
                "last_modified": "2026-11-01T08:00:00Z",
            }
        )
        tables["locations"].append(
            {
                "id": lid,
                "location_type": "physical",
                "organization_id": org,
                "name": f"Haus {n}",
                "latitude": f"{49.6 + rng.random() * 0.3:.6f}",
                "longitude": f"{6.5 + rng.random() * 0.4:.6f}",
            }
        )
        tables["addresses"].append(
            {
                "id": _id(rng),
                "location_id": lid,
                "address_1": f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
                "city": town,
                "state_province": "Rheinland-Pfalz",
                "postal_code": postcode,
                "country": "DE",
                "address_type": "physical",
            }
        )
        tables["service_at_location"].append(
            {"id": _id(rng), "service_id": sid, "location_id": lid}
        )
        for day in rng.sample(["MO", "TU", "WE", "TH", "FR"], 2):
            tables["schedules"].append(
                {
                    "id": _id(rng),
                    "service_id": sid,
                    "location_id": lid,
                    "freq": "WEEKLY",
                    "byday": day,
                    "opens_at": "09:00",
                    "closes_at": "12:00",
                }
            )
        tables["phones"].append(
            {"id": _id(rng), "service_id": sid, "number": f"0651 {rng.randint(10000, 99999)}"}
        )
        tables["languages"].append(
            {"id": _id(rng), "service_id": sid, "name": "Deutsch", "code": "de"}
        )
        tables["cost_options"].append({"id": _id(rng), "service_id": sid, "option": "free"})
        for c in range(contacts):
            cid = _id(rng)
            tables["contacts"].append(
                {
                    "id": cid,
                    "service_id": sid,
                    "name": f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
                    "email": f"kontakt{n}-{c}@example.org",
                }
            )
            tables["phones"].append(
                {"id": _id(rng), "contact_id": cid, "number": f"0651 {rng.randint(10000, 99999)}"}
            )
        tables["attributes"].append(
            {
                "id": _id(rng),
                "link_id": sid,
                "link_entity": "service",
                "taxonomy_term_id": terms[TOPICS.index(topic)],
            }
        )
    folder.mkdir(parents=True, exist_ok=True)
    names = {
        "organizations": "organization",
        "services": "service",
        "locations": "location",
        "addresses": "address",
        "service_at_location": "service_at_location",
        "schedules": "schedule",
        "phones": "phone",
        "languages": "language",
        "taxonomies": "taxonomy",
        "taxonomy_terms": "taxonomy_term",
        "attributes": "attribute",
        "cost_options": "cost_option",
        "contacts": "contact",
    }
    resources = []
    for table, rows in tables.items():
        if not rows:
            continue
        columns = sorted({key for row in rows for key in row})
        with (folder / f"{table}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
        resources.append({"name": names[table], "path": f"{table}.csv"})
    (folder / "datapackage.json").write_text(json.dumps({"resources": resources}))


def _time_phases() -> dict[str, float]:
    """Count the CPU time of each step of the import (read, check, each writer)."""
    from quartier.api.hsds import importer, package

    phases: dict[str, float] = {}

    def timed(module: object, name: str, label: str) -> None:
        original = getattr(module, name)

        def wrapper(*args: object, **kwargs: object) -> object:
            start = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                phases[label] = phases.get(label, 0.0) + time.process_time() - start

        setattr(module, name, wrapper)

    timed(package, "read_source", "read")
    timed(importer, "validate", "check")
    for name in (
        "write_taxonomies",
        "write_organisations",
        "_write_locations",
        "_write_offers",
        "_write_links",
        "write_schedules",
        "write_relations",
        "write_contacts",
    ):
        timed(importer, name, name.removeprefix("_").removeprefix("write_"))
    return phases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--no-index", action="store_true", help="skip the search indexing after each import"
    )
    parser.add_argument(
        "--contacts", type=int, default=0, help="contact persons per offer (default: none)"
    )
    parser.add_argument(
        "--profile", type=Path, help="write a cProfile of the imports (not indexing) to this file"
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="hsds-bench-"))
    os.environ["QUARTIER_VAR_DIR"] = str(work / "var")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quartier.settings")
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections, transaction

    from quartier.api.hsds.services import catalogue_import
    from quartier.offers.models import Offer
    from quartier.search.services import offers_index

    phases = _time_phases()
    call_command("migrate", verbosity=0)
    db_file = Path(connections["default"].settings_dict["NAME"])
    connections.close_all()
    template = work / "template.sqlite3"
    shutil.copy(db_file, template)
    package = work / "package"
    generate(package, args.offers, contacts=args.contacts)
    times: list[float] = []
    cpu_times: list[float] = []
    index_times: list[float] = []
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    by_phase: list[dict[str, float]] = []
    for run in range(args.runs):
        connections.close_all()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_file}{suffix}").unlink(missing_ok=True)
        shutil.copy(template, db_file)
        if profiler:
            profiler.enable()
        phases.clear()
        start, cpu = time.perf_counter(), time.process_time()
        report = catalogue_import(path=package, publish=True, index=False)
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu)
        if profiler:
            profiler.disable()
        by_phase.append({**phases, "rest": cpu_times[-1] - sum(phases.values())})
        start = time.perf_counter()
        if not args.no_index:
            with transaction.atomic():
                offer_ids = list(Offer.objects.values_list("pk", flat=True))
                for chunk in range(0, len(offer_ids), 2_000):
                    offers_index(offer_ids=offer_ids[chunk : chunk + 2_000])
        index_times.append(time.perf_counter() - start)
        print(
            f"run {run + 1}: {times[-1]:.2f} s wall, {cpu_times[-1]:.2f} s CPU, "
            f"{args.offers / times[-1]:,.0f} offers/s ({report.counts.get('services')} services); "
            f"then search indexing {index_times[-1]:.2f} s"
        )
    median, cpu_median = statistics.median(times), statistics.median(cpu_times)
    print(
        f"offers: {args.offers}, runs: {args.runs}, median {median:.2f} s "
        f"({args.offers / median:,.0f} offers/s), spread {min(times):.2f}-{max(times):.2f} s; "
        f"CPU median {cpu_median:.2f} s ({args.offers / cpu_median:,.0f} offers per CPU second); "
        f"search indexing median {statistics.median(index_times):.2f} s; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(
        "CPU seconds by step (median): "
        + ", ".join(f"{k} {statistics.median(p[k] for p in by_phase):.2f}" for k in by_phase[0])
    )
    if profiler:
        profiler.dump_stats(args.profile)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
