"""Load the shipped vocabularies (quartier/offers/data/) into the database, idempotently.

Natural keys: taxonomy slug, term (taxonomy, code), target group slug, language code. Running
the loader again updates names and hierarchy in place and never duplicates; terms removed from
the data files are kept (offers may still use them).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from quartier.offers.models import Language, TargetGroup, Taxonomy, TaxonomyTerm, TermMapping

DATA_DIR = Path(__file__).resolve().parent / "data"
SOCIAL_SPACE_TAXONOMY = "quartier-sozialraum"
EXCHANGE_TAXONOMY = "quartier-exchange"


@dataclass
class LoadReport:
    terms: int = 0
    mappings: int = 0
    target_groups: int = 0
    languages: int = 0
    problems: list[str] = field(default_factory=list)


def _read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _optional_int(value: str) -> int | None:
    value = (value or "").strip()
    return int(value) if value else None


def _load_taxonomy(file_name: str, report: LoadReport) -> Taxonomy:
    data = json.loads((DATA_DIR / file_name).read_text(encoding="utf-8"))
    taxonomy, _created = Taxonomy.objects.update_or_create(
        slug=data["slug"],
        defaults={
            "name": data["name"],
            "description": data.get("description", ""),
            "version": data.get("version", ""),
        },
    )
    position = 0

    def walk(entries: list[dict[str, Any]], parent: TaxonomyTerm | None) -> None:
        nonlocal position
        for entry in entries:
            position += 10
            term, _created = TaxonomyTerm.objects.update_or_create(
                taxonomy=taxonomy,
                code=entry["code"],
                defaults={
                    "name": entry["name"],
                    "name_en": entry.get("name_en", ""),
                    "description": entry.get("description", ""),
                    "legal_basis": entry.get("legal_basis", ""),
                    "parent": parent,
                    "position": position,
                },
            )
            report.terms += 1
            walk(entry.get("children", []), term)

    walk(data["terms"], None)
    return taxonomy


def _load_mapping(source: Taxonomy, target: Taxonomy, report: LoadReport) -> None:
    source_terms = {term.code: term for term in source.terms.all()}
    target_terms = {term.code: term for term in target.terms.all()}
    for line, row in enumerate(_read_csv("term_mapping.csv"), start=2):
        source_term = source_terms.get(row["source"])
        target_term = target_terms.get(row["target"])
        if source_term is None or target_term is None:
            report.problems.append(f"term_mapping.csv line {line}: unknown code")
            continue
        TermMapping.objects.update_or_create(
            source=source_term,
            target=target_term,
            defaults={"relation": row["relation"] or TermMapping.Relation.EXACT},
        )
        report.mappings += 1


@transaction.atomic
def load_vocabularies() -> LoadReport:
    """Load or update both taxonomies, their mapping, target groups and languages."""
    report = LoadReport()
    ours = _load_taxonomy("taxonomy_sozialraum.json", report)
    exchange = _load_taxonomy("taxonomy_exchange.json", report)
    _load_mapping(ours, exchange, report)
    for row in _read_csv("target_groups.csv"):
        TargetGroup.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "name_en": row["name_en"],
                "min_age": _optional_int(row["min_age"]),
                "max_age": _optional_int(row["max_age"]),
                "position": int(row["position"]),
            },
        )
        report.target_groups += 1
    for row in _read_csv("languages.csv"):
        Language.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "name_en": row["name_en"]}
        )
        report.languages += 1
    return report
