"""The database table of the "shared" cache (settings.CACHES, core/throttle.py).

Made here rather than by `createcachetable`, so that every installation and every test
database has it after `migrate`. Where QUARTIER_CACHE_URL names another cache (Redis), the
table stays empty.
"""

from django.conf import settings
from django.db import migrations


def create(apps, schema_editor):
    from django.core.management import call_command

    # createcachetable makes the tables of every database cache in settings.CACHES that do
    # not exist yet; with a shared cache elsewhere it makes the one named here explicitly.
    call_command("createcachetable", settings.SHARED_CACHE_TABLE,
                 database=schema_editor.connection.alias, verbosity=0)


def drop(apps, schema_editor):
    schema_editor.execute(
        "DROP TABLE IF EXISTS %s" % schema_editor.quote_name(settings.SHARED_CACHE_TABLE)
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_page_generation")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
