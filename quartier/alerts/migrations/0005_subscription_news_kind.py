"""Area alerts for another app's news (source set: new events or concerns of an area) become
news alerts, the kind the subscribe form now gives them, so that asking again for one finds it
(services.subscription_create) instead of storing a second copy."""

from django.db import migrations


def forwards(apps, schema_editor):
    Subscription = apps.get_model("alerts", "Subscription")
    Subscription.objects.filter(kind="area").exclude(source="").update(kind="news")


def backwards(apps, schema_editor):
    Subscription = apps.get_model("alerts", "Subscription")
    # Only news alerts with an area fit the old shape; topic-only ones cannot go back.
    Subscription.objects.filter(kind="news", area__isnull=True).delete()
    Subscription.objects.filter(kind="news").update(kind="area")


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0004_subscription_news_topics"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
