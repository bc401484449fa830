"""Keep the index current when offers change. Signals decouple the offers app from search
(house style: the one sanctioned use), so offers never import search.

Bulk loads (the benchmark generator, imports) can wrap their work in `indexing_paused()` and
call `reindex_all()` or `index_offers()` once at the end.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from quartier.offers.models import Location, Offer, OfferLocation, Schedule
from quartier.search.indexing import index_offers

_state = threading.local()


@contextmanager
def indexing_paused() -> Iterator[None]:
    previous = getattr(_state, "paused", False)
    _state.paused = True
    try:
        yield
    finally:
        _state.paused = previous


def _deleting() -> set:
    if not hasattr(_state, "deleting"):
        _state.deleting = set()
    return _state.deleting


def _reindex(offer_ids: list) -> None:
    # Offers being deleted: their schedules and locations go first, and re-indexing the offer
    # then would create a document for an offer about to vanish.
    offer_ids = [pk for pk in offer_ids if pk not in _deleting()]
    if offer_ids and not getattr(_state, "paused", False):
        index_offers(offer_ids)


def on_offer_deleting(sender: type, instance: Offer, **kwargs: Any) -> None:
    _deleting().add(instance.pk)


def on_offer_deleted(sender: type, instance: Offer, **kwargs: Any) -> None:
    _deleting().discard(instance.pk)


def on_offer_saved(sender: type, instance: Offer, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        _reindex([instance.pk])


def on_offer_relation_changed(sender: type, instance: Any, action: str, **kwargs: Any) -> None:
    if action in {"post_add", "post_remove", "post_clear"} and isinstance(instance, Offer):
        _reindex([instance.pk])


def on_offer_part_changed(sender: type, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    # Schedule and OfferLocation rows belong to one offer; a Location to several.
    if raw:
        return
    if isinstance(instance, Location):
        _reindex(list(instance.offer_locations.values_list("offer_id", flat=True)))
    elif instance.offer_id not in _deleting():
        _reindex([instance.offer_id])


def connect() -> None:
    post_save.connect(on_offer_saved, sender=Offer, dispatch_uid="search_offer_saved")
    pre_delete.connect(on_offer_deleting, sender=Offer, dispatch_uid="search_offer_deleting")
    post_delete.connect(on_offer_deleted, sender=Offer, dispatch_uid="search_offer_deleted")
    for field in ("topics", "target_groups", "languages", "areas"):
        m2m_changed.connect(
            on_offer_relation_changed,
            sender=getattr(Offer, field).through,
            dispatch_uid=f"search_offer_{field}",
        )
    for model in (Schedule, OfferLocation, Location):
        for signal in (post_save, post_delete):
            signal.connect(
                on_offer_part_changed,
                sender=model,
                dispatch_uid=f"search_{model.__name__}_{signal is post_save}",
            )
