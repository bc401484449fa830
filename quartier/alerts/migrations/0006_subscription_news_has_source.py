from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0005_subscription_news_kind"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='subscription',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'news'), ('source__gt', '')), models.Q(models.Q(('kind', 'news'), _negated=True), ('source', '')), _connector='OR'), name='alerts_news_has_source'),
        ),
    ]
