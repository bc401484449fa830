# venues.0001_initial was generated against a copy of 0002_parents_through_fields that carried
# this name; this empty step keeps that dependency valid. The change itself lives in
# 0002_parents_through_fields.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0002_parents_through_fields"),
    ]

    operations = []
