"""Events published before first_published_at existed count as published when created: an
event alert created from now on announces only events published after it (alerts' `since`),
so none of them is announced late."""

from django.db import migrations
from django.db.models import F


def backfill(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    Event.objects.filter(is_published=True, first_published_at__isnull=True).update(
        first_published_at=F("created_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0005_event_topics_first_published"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
