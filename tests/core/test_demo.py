"""The demo data: complete (the shared ctx keys other apps rely on) and idempotent."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import call_command

from quartier.areas.models import Area
from quartier.core.demo import DEMO_PASSWORD, DemoContext, load_all

SHARED_AREAS = {
    "trier",
    "trier-mariahof",
    "trier-sued",
    "trier-west-pallien",
    "magdeburg",
    "magdeburg-neu-olvenstedt",
    "potsdam",
    "potsdam-am-stern",
    "potsdam-drewitz",
    "lk-trier-saarburg",
    "sr-hermeskeil",
    "vg-hermeskeil",
    "kell-am-see",
}
SHARED_ORGANISATIONS = {
    "jugendamt-trier",
    "caritas-trier",
    "stadtteilbuero-trier-west",
    "buero-stadtteilarbeit-neu-olvenstedt",
    "stadtkontor",
    "stadtteilmanagement-am-stern-drewitz",
    "lokales-buendnis-potsdam",
    "kreisjugendamt-trier-saarburg",
    "srz-hermeskeil",
    "johanniter-trier",
    "jugendhilfe-st-maria",
}
SHARED_USERS = {"admin", "planner", "coordinator", "editor", "resident"}


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.mark.django_db
def test_demo_provides_the_shared_keys():
    ctx = load_all(DemoContext(verbosity=0))
    assert set(ctx.areas) >= SHARED_AREAS
    assert set(ctx.organisations) >= SHARED_ORGANISATIONS
    assert set(ctx.users) >= SHARED_USERS
    for user in ctx.users.values():
        assert user.check_password(DEMO_PASSWORD)
    logins = {username for _role, username, _note in ctx.logins}
    assert {user.username for user in ctx.users.values()} <= logins


@pytest.mark.django_db
def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo", verbosity=0)
    first = _row_counts()
    call_command("seed_demo", verbosity=0)
    assert _row_counts() == first


@pytest.mark.django_db
def test_demo_regions_are_modelled_faithfully():
    ctx = load_all(DemoContext(verbosity=0))
    assert ctx.areas["trier"].official_key == "07211000"
    assert ctx.areas["magdeburg"].official_key == "15003000"
    assert ctx.areas["potsdam"].official_key == "12054000"
    # Kell am See belongs to its Verbandsgemeinde and to the Sozialraum Hermeskeil.
    parents = set(ctx.areas["kell-am-see"].parents.values_list("slug", flat=True))
    assert parents == {"vg-saarburg-kell", "sr-hermeskeil"}
    sozialraeume = Area.objects.filter(parent_links__parent=ctx.areas["lk-trier-saarburg"])
    assert sozialraeume.filter(kind__slug="sozialraum").count() == 4
    # Every drawn boundary says that it is approximate; the city is a hole in the county.
    for area in Area.objects.exclude(boundary=None):
        assert "angenähert" in area.boundary_note
    trier = ctx.areas["trier"]
    containing = {a.slug for a in Area.objects.containing_point(trier.centre_lat, trier.centre_lon)}
    assert "trier" in containing
    assert "lk-trier-saarburg" not in containing


@pytest.mark.django_db
def test_seed_demo_prints_the_logins(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    assert "quartiersmanagement" in out


def test_app_modules_finds_each_apps_module_in_app_order():
    from django.apps import apps

    from quartier.core.registry import app_modules

    found = app_modules("retention")
    labels = [config.label for config, _module in found]
    order = [config.label for config in apps.get_app_configs()]
    assert labels == sorted(labels, key=order.index)
    assert {"accounts", "directory", "networks"} <= set(labels)
    assert all(module.__name__ == f"{config.name}.retention" for config, module in found)
    # django.contrib.messages has an `api` module: only Quartier's own apps are returned.
    assert all(config.name.startswith("quartier.") for config, _module in app_modules("api"))
