"""Monitoring: the CSV import (formats, bad input, all or nothing, duplicates, areas a planner
may write), small-number suppression in the public table, the comparison with the city, the
back-office upload and the management command."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from quartier.monitoring import selectors, services
from quartier.monitoring.models import Value
from tests.factories.monitoring import ValueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Service messages are checked in English; the site's default language is German."""
    with translation.override("en"):
        yield


HEADER = "Gebiet;Jahr;Indikator;Wert\n"


def run(text: str | bytes, **kwargs) -> services.ImportReport:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return services.values_import(data=data, **kwargs)


def stored(world, slug="einwohner", area=None, year=2022):
    value = Value.objects.filter(
        indicator__slug=slug, area=area or world.district, year=year
    ).first()
    return None if value is None else (value.value, value.suppressed)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1.234", "1234"),
        ("1.234,5", "1234.5"),
        ("12,75", "12.75"),
        ("1 234", "1234"),
        ("1\u202f234", "1234"),
        ("0", "0"),
        ("-3,5", "-3.5"),
    ],
)
def test_german_numbers(text, number):
    assert services.parse_number(text) == Decimal(number)


@pytest.mark.parametrize("text", ["12.5", "1.23", "abc", "1,2,3", "1.2345"])
def test_numbers_we_refuse(text):
    with pytest.raises(ValueError):
        services.parse_number(text)


def test_long_form_with_german_headers_and_bom(world):
    report = run(("\ufeff" + HEADER + "nordviertel;2022;einwohner;1.210\n").encode("utf-8"))
    assert report.ok and report.written and report.created == 1
    assert stored(world) == (Decimal("1210"), False)


def test_windows_1252_file(world):
    world.district.official_key = "07211001"
    world.district.save()
    text = (
        "Gebietsname;Schlüssel;Jahr;einwohner;haushalte\nNordviertel Süd;07211001;2021;1.200;600\n"
    )
    report = run(text.encode("cp1252"))
    assert report.ok, report.problems
    assert stored(world, year=2021) == (Decimal("1200"), False)
    assert stored(world, "haushalte", year=2021) == (Decimal("600"), False)


def test_wide_form_with_withheld_and_empty_cells(world):
    text = "area;year;einwohner;sgb2-haushalte;haushalte\nnordviertel;2022;1.210;.;\n"
    report = run(text)
    assert report.ok and report.created == 2 and report.withheld == 1
    assert stored(world, "sgb2-haushalte") == (None, True)
    assert stored(world, "haushalte") is None  # empty cell: no figure


def test_comma_separated_file_is_read_too(world):
    report = run('area,year,indicator,value\nnordviertel,2022,einwohner,"1.210"\n')
    assert report.ok and stored(world) == (Decimal("1210"), False)


def test_an_existing_figure_is_replaced(world):
    report = run(HEADER + "nordviertel;2023;einwohner;1.300\n")
    assert report.ok and (report.created, report.updated) == (0, 1)
    assert stored(world, year=2023) == (Decimal("1300"), False)


def test_one_bad_row_writes_nothing_and_names_row_and_column(world):
    text = (
        HEADER
        + "nordviertel;2022;einwohner;1.210\n"
        + "gibtsnicht;2022;einwohner;5\n"
        + "nordviertel;;einwohner;5\n"
        + "nordviertel;2022;unbekannt;5\n"
        + "nordviertel;2021;einwohner;12.5\n"
        + "nordviertel;2020;einwohner;\n"
        + "nordviertel;1800;einwohner;4\n"
    )
    report = run(text)
    assert not report.written
    assert [(p.row, p.column) for p in report.problems] == [
        (3, "Gebiet"),
        (4, "Jahr"),
        (5, "Indikator"),
        (6, "Wert"),
        (7, "Wert"),
        (8, "Jahr"),
    ]
    assert "gibtsnicht" in report.problems[0].reason
    assert "decimal comma" in report.problems[3].reason
    assert stored(world) is None


def test_duplicate_rows_are_refused(world):
    text = HEADER + "nordviertel;2022;einwohner;1.210\nnordviertel;2022;einwohner;1.211\n"
    report = run(text)
    assert [(p.row, "row 2" in p.reason) for p in report.problems] == [(3, True)]
    assert stored(world) is None


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"Gebiet;Jahr;Indikator;Wert\n", "no rows"),
        (b"\x00\x01\x02", "not a CSV"),
        (b"Jahr;einwohner\n2022;5\n", "missing"),
        (b"Gebiet;Jahr;Wert\nnordviertel;2022;5\n", "long form"),
        (b"Gebiet;Jahr;quatsch\nnordviertel;2022;5\n", "quatsch"),
        (b"Gebiet;Jahr;einwohner\nnordviertel;2022;5;6\n", "more cells"),
        (b"Gebiet;Jahr;einwohner\nnordviertel;2022;\n", "no figures"),
    ],
)
def test_bad_files_get_a_clear_reason(world, data, reason):
    report = services.values_import(data=data)
    assert not report.ok and not report.written
    assert reason in report.problems[0].reason


def test_dry_run_writes_nothing(world):
    report = run(HEADER + "nordviertel;2022;einwohner;1.210\n", dry_run=True)
    assert report.ok and report.created == 1 and not report.written
    assert stored(world) is None


def test_planners_import_only_for_their_areas(world):
    text = HEADER + "anderstadt;2022;einwohner;900\n"
    report = run(text, allowed_area_ids={world.city.pk, world.district.pk})
    assert "Anderstadt" in report.problems[0].reason
    assert stored(world, area=world.other_city) is None


# Suppression and comparison


def test_area_table_compares_with_the_city_and_hides_small_numbers(world):
    table = selectors.area_table(world.district)
    assert table["comparison"] == world.city
    rows = {row.indicator.slug: row for row in table["rows"]}
    assert rows["einwohner"].here.text == "1,234" or rows["einwohner"].here.text == "1.234"
    assert rows["sgb2-haushalte"].here.hidden  # 3 households
    # 5 % of 60 households are 3: hidden as well
    assert rows["sgb2-quote"].here.hidden
    assert not rows["sgb2-quote"].there.hidden


def test_threshold_is_a_setting(world, settings):
    settings.QUARTIER_STATS_MIN_COUNT = 3
    rows = {row.indicator.slug: row for row in selectors.area_table(world.district)["rows"]}
    assert not rows["sgb2-haushalte"].here.hidden
    assert not rows["sgb2-quote"].here.hidden


def test_zero_is_shown_and_a_rate_without_denominator_hidden(world):
    value = ValueFactory(indicator=world.indicator_sgb2, area=world.district, year=2024, value=0)
    assert selectors.suppress(value, None, threshold=5).text == "0"
    rate = ValueFactory(indicator=world.indicator_rate, area=world.district, year=2024, value=40)
    assert selectors.suppress(rate, None, threshold=5).hidden


def test_withheld_values_are_marked(world):
    value = ValueFactory(
        indicator=world.indicator_sgb2, area=world.district, year=2024, value=None, suppressed=True
    )
    assert selectors.suppress(value, None, threshold=5).note == "withheld by the source"


def test_public_page_shows_no_small_number(client, world):
    response = client.get(reverse("monitoring:area", kwargs={"slug": world.district.slug}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Teststadt" in html and "Bürgergeld-Quote" in html
    assert "<td>3</td>" not in html and "<td>5</td>" not in html


def test_area_page_links_to_the_figures(client, world):
    response = client.get(world.district.get_absolute_url())
    link = reverse("monitoring:area", kwargs={"slug": world.district.slug})
    assert link in response.content.decode()


def test_area_table_query_count_does_not_grow(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        selectors.area_table(world.district)
    for year in range(2010, 2023):
        for indicator in (world.indicator_residents, world.indicator_households):
            ValueFactory(indicator=indicator, area=world.district, year=year, value=1000)
    with django_assert_max_num_queries(8):
        selectors.area_table(world.district)


# Back office and command


def test_upload_shows_the_report_and_keeps_nothing(client, world):
    client.force_login(world.users["planner"])
    upload = SimpleUploadedFile("w.csv", (HEADER + "nordviertel;2022;einwohner;12.5\n").encode())
    response = client.post(reverse("backoffice:monitoring:upload"), {"file": upload})
    assert response.status_code == 400
    assert "Dezimalkomma" in response.content.decode()  # the site speaks German
    assert stored(world) is None


def test_upload_dry_run_reports_without_saving(client, world):
    client.force_login(world.users["planner"])
    upload = SimpleUploadedFile("w.csv", (HEADER + "nordviertel;2022;einwohner;1.210\n").encode())
    response = client.post(
        reverse("backoffice:monitoring:upload"), {"file": upload, "dry_run": "on"}
    )
    assert response.status_code == 200 and stored(world) is None


def test_upload_without_file_is_400(client, world):
    client.force_login(world.users["admin"])
    assert client.post(reverse("backoffice:monitoring:upload"), {}).status_code == 400


def test_management_command(tmp_path, world, capsys):
    path = tmp_path / "werte.csv"
    path.write_bytes((HEADER + "nordviertel;2022;einwohner;1.210\n").encode("cp1252"))
    call_command("import_indicators", str(path))
    assert stored(world) == (Decimal("1210"), False)
    path.write_bytes((HEADER + "nordviertel;2022;einwohner;x1\n").encode())
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_indicators", str(path))


# Demo


def test_demo_figures_for_ten_years_are_idempotent(world):
    from quartier.core.demo import DemoContext
    from quartier.monitoring import demo

    ctx = DemoContext(areas={"trier": world.city, "trier-west-pallien": world.district})
    demo.load(ctx)
    count = Value.objects.filter(indicator__source=demo.SOURCE).count()
    assert count == 2 * demo.YEARS * len(demo.INDICATORS)
    stamps = set(Value.objects.values_list("pk", "updated_at"))
    demo.load(ctx)
    assert set(Value.objects.values_list("pk", "updated_at")) == stamps
    rows = {row.indicator.slug: row for row in selectors.area_table(world.district)["rows"]}
    assert not rows["sgb2-quote"].here.hidden and not rows["sgb2-quote"].there.hidden
