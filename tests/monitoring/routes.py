"""Role matrix of the monitoring app (see tests/matrix.py)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.matrix import Route, everyone, only

PLANNERS = {"planner", "admin"}
ANALYSTS = {"planner", "coordinator", "admin"}
COVERAGE = "?area=sozialraum-nord&weight=offers&indicator=einwohner&per=1000"


def _csv(text: str):
    return lambda w: {"file": SimpleUploadedFile("werte.csv", text.encode("utf-8-sig"))}


ROUTES = [
    Route("monitoring:area", everyone(), kwargs=lambda w: {"slug": w.district.slug}),
    Route("monitoring:area", everyone(404), kwargs=lambda w: {"slug": "gibt-es-nicht"}),
    Route(
        "monitoring:trend",
        everyone(),
        kwargs=lambda w: {"slug": w.district.slug, "indicator": "sgb2-quote"},
    ),
    Route(
        "monitoring:trend",
        everyone(404),
        kwargs=lambda w: {"slug": w.district.slug, "indicator": "gibt-es-nicht"},
    ),
    Route(
        "monitoring:map",
        everyone(),
        kwargs=lambda w: {"slug": w.city.slug, "indicator": "einwohner"},
    ),
    Route(
        "monitoring:map",
        everyone(400),
        kwargs=lambda w: {"slug": w.city.slug, "indicator": "einwohner"},
        query="?kind=gibt-es-nicht",
    ),
    Route(
        "monitoring:map",
        everyone(404),
        kwargs=lambda w: {"slug": w.city.slug, "indicator": "gibt-es-nicht"},
    ),
    Route("backoffice:monitoring:indicators", only(PLANNERS)),
    Route("backoffice:monitoring:map", only(PLANNERS)),
    Route("backoffice:monitoring:map", only(PLANNERS), query="?area=teststadt&indicator=einwohner"),
    Route("backoffice:monitoring:map", only(PLANNERS, ok=400), query="?area=teststadt&indicator=x"),
    Route("backoffice:monitoring:coverage", only(ANALYSTS)),
    Route("backoffice:monitoring:coverage", only(ANALYSTS), query=COVERAGE),
    # The coordinator's areas lie in the Sozialraum Nord: the city is not among their choices.
    Route(
        "backoffice:monitoring:coverage",
        {**only(PLANNERS), "coordinator": 400},
        query=COVERAGE.replace("sozialraum-nord", "teststadt"),
    ),
    Route("backoffice:monitoring:upload", only(PLANNERS)),
    Route(
        "backoffice:monitoring:upload",
        only(PLANNERS, ok=302),
        method="post",
        data=_csv("Gebiet;Jahr;Indikator;Wert\nnordviertel;2022;einwohner;1.210\n"),
    ),
    Route(
        "backoffice:monitoring:upload",
        only(PLANNERS, ok=400),
        method="post",
        data=_csv("Gebiet;Jahr;Indikator;Wert\nnirgendwo;2022;einwohner;1.210\n"),
    ),
]
