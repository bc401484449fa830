"""Demo areas: the regions Quartier was conceived from.

Official keys (AGS/Kreisschlüssel) are the public ones. Every boundary is a rough polygon drawn
for the demo, not survey data; each says so in `boundary_note`. Shared keys for other apps'
demos: ctx.areas["trier"], ["trier-mariahof"], ["trier-sued"], ["trier-west-pallien"],
["magdeburg"], ["magdeburg-neu-olvenstedt"], ["potsdam"], ["potsdam-am-stern"],
["potsdam-drewitz"], ["lk-trier-saarburg"], ["sr-hermeskeil"], ["vg-hermeskeil"],
["kell-am-see"] (and a few more, see AREAS).
"""

from __future__ import annotations

from typing import Any

from quartier.accounts.models import Role, RoleAssignment
from quartier.areas.models import Area, AreaKind, AreaLink, Coverage
from quartier.core.demo import DemoContext, upsert

APPROXIMATE = "Grenze angenähert (von Hand für die Demo gezeichnet), keine amtliche Geometrie."

# slug, name, plural, level
KINDS = [
    ("bundesland", "Bundesland", "Bundesländer", 0),
    ("landkreis", "Landkreis", "Landkreise", 1),
    ("kreisfreie-stadt", "Kreisfreie Stadt", "Kreisfreie Städte", 1),
    ("sozialraum", "Sozialraum", "Sozialräume", 2),
    ("programmgebiet", "Programmgebiet Soziale Stadt", "Programmgebiete Soziale Stadt", 3),
    ("verbandsgemeinde", "Verbandsgemeinde", "Verbandsgemeinden", 3),
    ("stadtteil", "Stadtteil", "Stadtteile", 3),
    ("ortsgemeinde", "Ortsgemeinde", "Ortsgemeinden", 4),
    ("quartier", "Quartier", "Quartiere", 4),
]
# slug: English name and plural (docs/glossary.md); a data migration gives them to existing rows
ENGLISH = {
    "bundesland": ("Federal state", "Federal states"),
    "landkreis": ("County", "Counties"),
    "kreisfreie-stadt": ("County-free city", "County-free cities"),
    "sozialraum": ("Social space", "Social spaces"),
    "programmgebiet": ("Urban development programme area", "Urban development programme areas"),
    "verbandsgemeinde": ("Collective municipality", "Collective municipalities"),
    "stadtteil": ("District", "Districts"),
    "ortsgemeinde": ("Local municipality", "Local municipalities"),
    "quartier": ("Quarter", "Quarters"),
}

Ring = list[tuple[float, float]]


def polygon(ring: Ring, *holes: Ring) -> dict[str, Any]:
    """A GeoJSON Polygon from (lon, lat) rings; closes each ring."""

    def close(points: Ring) -> list[list[float]]:
        coords = [[lon, lat] for lon, lat in points]
        return [*coords, coords[0]]

    return {"type": "Polygon", "coordinates": [close(ring), *(close(h) for h in holes)]}


def box(west: float, south: float, east: float, north: float) -> Ring:
    return [(west, south), (east, south), (east, north), (west, north)]


TRIER_RING: Ring = [
    (6.57, 49.70),
    (6.66, 49.69),
    (6.74, 49.72),
    (6.74, 49.79),
    (6.69, 49.83),
    (6.60, 49.81),
    (6.56, 49.76),
]

LANDKREIS_RING: Ring = [
    (6.36, 49.50),
    (6.75, 49.48),
    (7.07, 49.60),
    (7.07, 49.78),
    (6.90, 49.95),
    (6.55, 49.92),
    (6.42, 49.80),
]

# slug: (kind, name, official key, boundary or None, centre (lat, lon) or None, description)
AREAS: dict[str, tuple[str, str, str, dict | None, tuple[float, float] | None, str]] = {
    "rheinland-pfalz": (
        "bundesland",
        "Rheinland-Pfalz",
        "07",
        polygon([(6.11, 49.47), (7.0, 48.97), (8.5, 49.0), (8.3, 50.1), (7.8, 50.94), (6.1, 50.4)]),
        (49.95, 7.31),
        "",
    ),
    "sachsen-anhalt": (
        "bundesland",
        "Sachsen-Anhalt",
        "15",
        polygon([(10.56, 51.6), (11.5, 50.94), (12.6, 51.0), (13.19, 51.8), (12.2, 53.04)]),
        (51.95, 11.69),
        "",
    ),
    "brandenburg": (
        "bundesland",
        "Brandenburg",
        "12",
        polygon([(11.27, 53.0), (12.0, 51.8), (13.5, 51.36), (14.77, 51.6), (14.3, 53.56)]),
        (52.41, 13.06),
        "",
    ),
    "trier": (
        "kreisfreie-stadt",
        "Trier",
        "07211000",
        polygon(TRIER_RING),
        (49.7557, 6.6394),
        "Kreisfreie Stadt an der Mosel. Die Stadtteilnetzwerke werden von der "
        "Sozialraumplanung im Jugendamt koordiniert.",
    ),
    "trier-mariahof": (
        "stadtteil",
        "Trier-Mariahof",
        "",
        polygon(box(6.645, 49.720, 6.668, 49.736)),
        (49.728, 6.656),
        "Stadtteil auf der Höhe südlich der Innenstadt, mit eigenem Stadtteilnetzwerk.",
    ),
    "trier-sued": (
        "stadtteil",
        "Trier-Süd",
        "",
        polygon(box(6.628, 49.736, 6.652, 49.751)),
        (49.743, 6.640),
        "Stadtteil zwischen Innenstadt und Mosel, mit eigenem Stadtteilnetzwerk.",
    ),
    "trier-west-pallien": (
        "stadtteil",
        "Trier-West/Pallien",
        "",
        polygon(box(6.600, 49.735, 6.632, 49.765)),
        (49.748, 6.618),
        "Stadtteil links der Mosel mit Quartiersmanagement (Stadtteilbüro im Pater-Loskyll-Weg).",
    ),
    "trier-west-soziale-stadt": (
        "programmgebiet",
        "Soziale Stadt Trier-West",
        "",
        polygon(box(6.605, 49.738, 6.628, 49.758)),
        (49.746, 6.618),
        "Fördergebiet des Programms Soziale Stadt (heute Sozialer Zusammenhalt).",
    ),
    "magdeburg": (
        "kreisfreie-stadt",
        "Magdeburg",
        "15003000",
        polygon([(11.50, 52.08), (11.58, 52.03), (11.72, 52.06), (11.75, 52.18), (11.62, 52.23)]),
        (52.1205, 11.6276),
        "Landeshauptstadt Sachsen-Anhalts.",
    ),
    "magdeburg-neu-olvenstedt": (
        "stadtteil",
        "Neu Olvenstedt",
        "",
        polygon(box(11.545, 52.130, 11.585, 52.155)),
        (52.142, 11.565),
        "Großwohnsiedlung im Westen Magdeburgs; Stadtteilmanagement mit dem Büro für "
        "Stadtteilarbeit am Scharnhorstring.",
    ),
    "potsdam": (
        "kreisfreie-stadt",
        "Potsdam",
        "12054000",
        polygon([(12.89, 52.42), (12.95, 52.35), (13.17, 52.34), (13.15, 52.47), (13.0, 52.51)]),
        (52.3906, 13.0645),
        "Landeshauptstadt Brandenburgs.",
    ),
    "potsdam-am-stern": (
        "stadtteil",
        "Am Stern",
        "",
        polygon(box(13.100, 52.362, 13.140, 52.382)),
        (52.372, 13.120),
        "Stadtteil im Südosten Potsdams; gemeinsames Stadtteilmanagement mit Drewitz.",
    ),
    "potsdam-drewitz": (
        "stadtteil",
        "Drewitz",
        "",
        polygon(box(13.118, 52.346, 13.150, 52.361)),
        (52.354, 13.134),
        "Stadtteil im Südosten Potsdams; gemeinsames Stadtteilmanagement mit Am Stern.",
    ),
    "lk-trier-saarburg": (
        "landkreis",
        "Landkreis Trier-Saarburg",
        "07235",
        # The county surrounds the city of Trier, which is not part of it: a hole.
        polygon(
            LANDKREIS_RING,
            TRIER_RING,
        ),
        (49.68, 6.78),
        "In vier Sozialräume gegliedert (Konz, Saarburg, Schweich/Trier-Land, Hermeskeil), "
        "jeweils mit einem Sozialraumzentrum.",
    ),
    "sr-konz": (
        "sozialraum",
        "Sozialraum Konz",
        "",
        polygon(box(6.50, 49.62, 6.66, 49.72)),
        (49.70, 6.58),
        "",
    ),
    "sr-saarburg": (
        "sozialraum",
        "Sozialraum Saarburg",
        "",
        polygon(box(6.40, 49.50, 6.76, 49.62)),
        (49.60, 6.55),
        "",
    ),
    "sr-schweich-trier-land": (
        "sozialraum",
        "Sozialraum Schweich/Trier-Land",
        "",
        polygon(box(6.45, 49.79, 6.95, 49.94)),
        (49.82, 6.75),
        "",
    ),
    "sr-hermeskeil": (
        "sozialraum",
        "Sozialraum Hermeskeil",
        "",
        polygon(box(6.76, 49.58, 7.06, 49.73)),
        (49.655, 6.90),
        "Umfasst die Verbandsgemeinde Hermeskeil und aus dem Raum Kell am See die "
        "Ortsgemeinden Heddert, Kell am See, Mandern, Schillingen und Waldweiler.",
    ),
    "vg-hermeskeil": (
        "verbandsgemeinde",
        "Verbandsgemeinde Hermeskeil",
        "",
        polygon(box(6.86, 49.60, 7.06, 49.73)),
        (49.6556, 6.9458),
        "",
    ),
    "vg-saarburg-kell": (
        "verbandsgemeinde",
        "Verbandsgemeinde Saarburg-Kell",
        "",
        polygon(box(6.45, 49.52, 6.90, 49.68)),
        (49.6086, 6.5497),
        "Seit 2019 aus den Verbandsgemeinden Saarburg und Kell am See gebildet; der Raum "
        "Kell am See gehört zum Sozialraum Hermeskeil, der Rest zum Sozialraum Saarburg.",
    ),
    "vg-konz": (
        "verbandsgemeinde",
        "Verbandsgemeinde Konz",
        "",
        polygon(box(6.52, 49.63, 6.66, 49.71)),
        (49.70, 6.578),
        "",
    ),
    "kell-am-see": ("ortsgemeinde", "Kell am See", "", None, (49.6135, 6.8230), ""),
    "heddert": ("ortsgemeinde", "Heddert", "", None, (49.6440, 6.7920), ""),
    "mandern": ("ortsgemeinde", "Mandern", "", None, (49.6070, 6.8000), ""),
    "schillingen": ("ortsgemeinde", "Schillingen", "", None, (49.6300, 6.7790), ""),
    "waldweiler": ("ortsgemeinde", "Waldweiler", "", None, (49.6240, 6.8640), ""),
}

KELL_VILLAGES = ("heddert", "kell-am-see", "mandern", "schillingen", "waldweiler")

# (parent, child, coverage)
LINKS: list[tuple[str, str, str]] = [
    ("rheinland-pfalz", "trier", Coverage.FULL),
    ("rheinland-pfalz", "lk-trier-saarburg", Coverage.FULL),
    ("sachsen-anhalt", "magdeburg", Coverage.FULL),
    ("brandenburg", "potsdam", Coverage.FULL),
    ("trier", "trier-mariahof", Coverage.FULL),
    ("trier", "trier-sued", Coverage.FULL),
    ("trier", "trier-west-pallien", Coverage.FULL),
    ("trier", "trier-west-soziale-stadt", Coverage.FULL),
    ("magdeburg", "magdeburg-neu-olvenstedt", Coverage.FULL),
    ("potsdam", "potsdam-am-stern", Coverage.FULL),
    ("potsdam", "potsdam-drewitz", Coverage.FULL),
    ("lk-trier-saarburg", "sr-konz", Coverage.FULL),
    ("lk-trier-saarburg", "sr-saarburg", Coverage.FULL),
    ("lk-trier-saarburg", "sr-schweich-trier-land", Coverage.FULL),
    ("lk-trier-saarburg", "sr-hermeskeil", Coverage.FULL),
    ("sr-konz", "vg-konz", Coverage.FULL),
    ("sr-hermeskeil", "vg-hermeskeil", Coverage.FULL),
    # The multi-parent case: the VG lies partly in two Sozialräume, and its villages around
    # Kell am See belong both to the VG and to the Sozialraum Hermeskeil.
    ("sr-hermeskeil", "vg-saarburg-kell", Coverage.PARTIAL),
    ("sr-saarburg", "vg-saarburg-kell", Coverage.PARTIAL),
    *(("vg-saarburg-kell", village, Coverage.FULL) for village in KELL_VILLAGES),
    *(("sr-hermeskeil", village, Coverage.FULL) for village in KELL_VILLAGES),
]


def load(ctx: DemoContext) -> None:
    kinds = {
        slug: upsert(
            AreaKind,
            lookup={"slug": slug},
            values={
                "name": name,
                "name_plural": plural,
                "name_en": ENGLISH[slug][0],
                "name_plural_en": ENGLISH[slug][1],
                "level": level,
            },
        )
        for slug, name, plural, level in KINDS
    }
    for slug, (kind, name, key, boundary, centre, description) in AREAS.items():
        lat, lon = centre if centre else (None, None)
        ctx.areas[slug] = upsert(
            Area,
            lookup={"slug": slug},
            values={
                "kind": kinds[kind],
                "name": name,
                "official_key": key,
                "boundary": boundary,
                "boundary_note": APPROXIMATE if boundary else "",
                "centre_lat": lat,
                "centre_lon": lon,
                "description": description,
                "is_public": True,
            },
        )
    for parent, child, coverage in LINKS:
        upsert(
            AreaLink,
            lookup={"parent": ctx.areas[parent], "child": ctx.areas[child]},
            values={"coverage": coverage},
        )
    _assign_planners(ctx)
    ctx.log(f"areas: {len(ctx.areas)} areas")


def _assign_planners(ctx: DemoContext) -> None:
    """Planner roles need the areas, which load after the accounts (see accounts/demo.py)."""
    for user_key, area_key in (("planner", "trier"), ("planner-lk", "lk-trier-saarburg")):
        user = ctx.users.get(user_key)
        if user is not None:
            RoleAssignment.objects.get_or_create(
                user=user, role=Role.PLANNER, area=ctx.areas[area_key], organisation=None
            )
