"""An index for the HSDS service lists (issue #17): public offers by name and id.

`/api/hsds/services` lists the public offers (published, not ended) ordered by name and id, a
page at a time. Without an index the database sorts every public offer for each page (at
100,000 offers about 200 ms for page 1, seconds for page 2,000 on SQLite). With this one it
walks the offers in order from the index alone: review_state first (equality), then the
order, and status in it so that no table row is read for the filter.

The index is on the offers' table but serves only this API, so it lives here; plain SQL that
both SQLite and PostgreSQL understand, outside Django's model state (the offers app's models
do not change). Moving it into the offers app's Meta.indexes later is a rename only.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS hsds_offer_list_order "
    "ON offers_offer (review_state, name, id, status)"
)
DROP = "DROP INDEX IF EXISTS hsds_offer_list_order"


class Migration(migrations.Migration):
    dependencies = [
        ("hsds", "0002_kept_hsds_data"),
        ("offers", "0005_location_position_source"),
    ]

    operations = [migrations.RunSQL(CREATE, DROP, elidable=False)]
