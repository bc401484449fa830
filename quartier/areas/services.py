"""Writes on areas: every change is atomic and leaves a history record with its author."""

from __future__ import annotations

from django.db import transaction

from quartier.areas.models import Area, AreaLink


@transaction.atomic
def area_save(
    *,
    user,
    area: Area,
    parents: dict[int, str],
    editable_parent_ids: set[int] | None,
) -> Area:
    """Save `area` (new or changed) and set its parent links.

    `parents` maps parent id to coverage. Only links to parents in `editable_parent_ids` are
    added or removed (None: all), so a planner's edit never drops a link to an area outside
    their scope that they could not see in the form.
    """
    area.full_clean()
    area._history_user = user
    area.save()
    existing = {link.parent_id: link for link in area.parent_links.all()}
    for parent_id, link in existing.items():
        editable = editable_parent_ids is None or parent_id in editable_parent_ids
        if editable and parent_id not in parents:
            link._history_user = user
            link.delete()
    for parent_id, coverage in parents.items():
        link = existing.get(parent_id)
        if link is None:
            link = AreaLink(parent_id=parent_id, child=area, coverage=coverage)
            link._history_user = user
            link.save()
        elif link.coverage != coverage:
            link.coverage = coverage
            link._history_user = user
            link.save(update_fields=["coverage"])
    return area
