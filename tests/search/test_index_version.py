"""The index knows the analysis it was built with, and `migrate` rebuilds an outdated one;
the reviewed synonym groups reach existing databases by migration 0011."""

import importlib

import pytest
from django.apps import apps

from quartier.search import analysis, triggers
from quartier.search.models import IndexVersion, SearchDocument, Synonym
from quartier.search.services import index_outdated
from tests.factories.offers import OfferFactory

synonym_migration = importlib.import_module(
    "quartier.search.migrations.0011_reviewed_synonym_groups"
)

pytestmark = pytest.mark.django_db


def test_an_empty_index_is_current_and_notes_the_version():
    IndexVersion.objects.all().delete()
    assert not index_outdated()
    assert IndexVersion.objects.get().analysis == analysis.VERSION


def test_an_index_of_another_analysis_is_rebuilt_after_migrate():
    offer = OfferFactory(name="Schuldnerberatung")
    IndexVersion.objects.update_or_create(pk=1, defaults={"analysis": analysis.VERSION - 1})
    SearchDocument.objects.filter(offer=offer).update(name="stale")
    assert index_outdated()
    triggers.on_post_migrate(sender=None, verbosity=0)
    assert not index_outdated()
    assert SearchDocument.objects.get(offer=offer).name == "Schuldnerberatung"


def test_a_current_index_is_left_alone_after_migrate():
    offer = OfferFactory(name="Kita")
    IndexVersion.objects.update_or_create(pk=1, defaults={"analysis": analysis.VERSION})
    SearchDocument.objects.filter(offer=offer).update(name="untouched")
    triggers.on_post_migrate(sender=None, verbosity=0)
    assert SearchDocument.objects.get(offer=offer).name == "untouched"


def test_the_synonym_file_has_a_few_hundred_groups_each_with_its_source():
    groups = synonym_migration.groups_of_file()
    assert len(groups) >= 200
    assert all(note.startswith("[") or note == "original list" for _terms, note in groups)
    assert len({terms for terms, _note in groups}) == len(groups)


def test_the_migration_extends_shipped_groups_and_keeps_an_admins_changes():
    Synonym.objects.all().delete()
    Synonym.objects.create(terms="Suchtberatung | Drogenberatung")  # as shipped
    Synonym.objects.create(terms="Tafel | Essen für alle")  # an admin's own group
    synonym_migration.add_groups(apps, None)
    synonym_migration.add_groups(apps, None)  # idempotent
    assert not Synonym.objects.filter(terms="Suchtberatung | Drogenberatung").exists()
    extended = Synonym.objects.get(terms__startswith="Suchtberatung | Drogenberatung | ")
    assert extended.note.startswith("original")
    assert Synonym.objects.filter(terms="Tafel | Essen für alle").exists()
    assert Synonym.objects.count() == len(synonym_migration.groups_of_file()) + 1
