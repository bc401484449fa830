"""Keep the index current when offers change. Signals decouple the offers app from search
(house style: the one sanctioned use), so offers never import search.

Bulk loads (the benchmark generator, imports) can wrap their work in `indexing_paused()` and
call `services.index_rebuild()` or `services.offers_index()` once at the end.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.db.models import Model
from django.db.models.signals import (
    ModelSignal,
    m2m_changed,
    post_delete,
    post_migrate,
    post_save,
    pre_delete,
    pre_save,
)

from quartier.areas.models import AreaLink
from quartier.offers.models import Location, Offer, OfferLocation, Schedule, TaxonomyTerm
from quartier.search import facetindex, triggers
from quartier.search.services import offers_index

_state = threading.local()


@contextmanager
def indexing_paused() -> Iterator[None]:
    previous = getattr(_state, "paused", False)
    _state.paused = True
    try:
        yield
    finally:
        _state.paused = previous


def _deleting() -> set[Any]:
    if not hasattr(_state, "deleting"):
        _state.deleting = set()
    deleting: set[Any] = _state.deleting
    return deleting


def _reindex(offer_ids: list[Any]) -> None:
    # Offers being deleted: their schedules and locations go first, and re-indexing the offer
    # then would create a document for an offer about to vanish.
    offer_ids = [pk for pk in offer_ids if pk not in _deleting()]
    if offer_ids and not getattr(_state, "paused", False):
        offers_index(offer_ids=offer_ids)


def on_offer_deleting(sender: type[Offer], instance: Offer, **kwargs: Any) -> None:
    _deleting().add(instance.pk)


def on_offer_deleted(sender: type[Offer], instance: Offer, **kwargs: Any) -> None:
    _deleting().discard(instance.pk)


def on_offer_saved(sender: type[Offer], instance: Offer, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        _reindex([instance.pk])


def on_offer_relation_changed(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if action in {"post_add", "post_remove", "post_clear"} and isinstance(instance, Offer):
        _reindex([instance.pk])


def on_offer_part_changed(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    # Schedule and OfferLocation rows belong to one offer; a Location to several.
    if raw:
        return
    if isinstance(instance, Location):
        _reindex(list(instance.offer_locations.values_list("offer_id", flat=True)))
    elif instance.offer_id not in _deleting():
        _reindex([instance.offer_id])


def _subtree(model: Any, parent_field: str, root: Any) -> set[Any]:
    """The ids of `root` and everything below it (hierarchies are shallow: one query a level)."""
    found, level = {root}, {root}
    while level:
        level = (
            set(
                model.objects.filter(**{f"{parent_field}__in": level}).values_list(
                    "pk" if model is TaxonomyTerm else "child_id", flat=True
                )
            )
            - found
        )
        found |= level
    return found


def _filed_below(model: Any, root: Any) -> list[Any]:
    """The offers filed under a topic (model TaxonomyTerm) or an area (model AreaLink), or
    under one below it."""
    if model is TaxonomyTerm:
        offers = Offer.objects.filter(topics__in=_subtree(TaxonomyTerm, "parent", root))
    else:
        offers = Offer.objects.filter(areas__in=_subtree(AreaLink, "parent", root))
    return list(offers.values_list("pk", flat=True).distinct())


def on_hierarchy_changed(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """A topic moved under another one (or was renamed), or an area link changed: the offers
    filed below it are now found under other broader topics or areas (facet keys include the
    ancestors). A deleted topic: see on_filing_deleting."""
    if raw:
        return
    if isinstance(instance, TaxonomyTerm):
        _reindex(_filed_below(TaxonomyTerm, instance.pk))
    else:
        _reindex(_filed_below(AreaLink, instance.child_id))


def on_filing_deleting(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A topic or an area is about to go: its links to offers go first, without signals, so
    the offers filed under it are noted now and re-indexed once it is gone."""
    if not hasattr(_state, "filed"):
        _state.filed = {}
    model = TaxonomyTerm if sender is TaxonomyTerm else AreaLink
    _state.filed[(sender, instance.pk)] = _filed_below(model, instance.pk)


def on_filing_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    filed = getattr(_state, "filed", {}).pop((sender, instance.pk), [])
    _reindex(filed)


def on_named_saving(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """Note the stored name of an organisation or an area before it is saved."""
    if raw or instance.pk is None:
        return
    instance._search_old_name = (
        sender.objects.filter(pk=instance.pk).values_list("name", flat=True).first()
    )


def on_named_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """An organisation's or an area's name is part of its offers' searchable text: a new name
    re-indexes them (their own documents, not those of sub-areas: only direct areas' names
    are in the text)."""
    old = getattr(instance, "_search_old_name", None)
    if raw or old is None or old == instance.name:
        return
    instance._search_old_name = instance.name
    _reindex(list(instance.offers.values_list("pk", flat=True)))


def on_vocabulary_changed(sender: Any, **kwargs: Any) -> None:
    """Synonyms or a label of the search form changed: processes drop their copies."""
    if kwargs.get("raw"):
        return  # loading fixtures
    facetindex.vocabulary_changed()


VOCABULARIES = (
    ("search", "Synonym"),
    ("offers", "TaxonomyTerm"),
    ("offers", "TargetGroup"),
    ("offers", "Language"),
    ("areas", "Area"),
    ("areas", "AreaKind"),
    # The area filter's enclosing areas come from the hierarchy each process keeps.
    ("areas", "AreaLink"),
)


def connect() -> None:
    post_migrate.connect(
        triggers.on_post_migrate,
        sender=apps.get_app_config("search"),
        dispatch_uid="search_triggers",
    )
    # A deleted topic's links are gone by post_delete: on_filing_deleted handles it.
    hierarchy: tuple[tuple[type[Model], tuple[ModelSignal, ...]], ...] = (
        (TaxonomyTerm, (post_save,)),
        (AreaLink, (post_save, post_delete)),
    )
    for model, signals in hierarchy:
        for signal in signals:
            signal.connect(
                on_hierarchy_changed,
                sender=model,
                dispatch_uid=f"search_hierarchy_{model.__name__}_{signal is post_save}",
            )
    filings: tuple[type[Model], ...] = (TaxonomyTerm, apps.get_model("areas", "Area"))
    for model in filings:
        pre_delete.connect(
            on_filing_deleting, sender=model, dispatch_uid=f"search_deleting_{model.__name__}"
        )
        post_delete.connect(
            on_filing_deleted, sender=model, dispatch_uid=f"search_deleted_{model.__name__}"
        )
    named: tuple[type[Model], ...] = (
        apps.get_model("directory", "Organisation"),
        apps.get_model("areas", "Area"),
    )
    for model in named:
        pre_save.connect(
            on_named_saving, sender=model, dispatch_uid=f"search_naming_{model.__name__}"
        )
        post_save.connect(
            on_named_saved, sender=model, dispatch_uid=f"search_named_{model.__name__}"
        )
    for app_label, model_name in VOCABULARIES:
        for signal in (post_save, post_delete):
            signal.connect(
                on_vocabulary_changed,
                sender=apps.get_model(app_label, model_name),
                dispatch_uid=f"search_vocabulary_{model_name}_{signal is post_save}",
            )
    post_save.connect(on_offer_saved, sender=Offer, dispatch_uid="search_offer_saved")
    pre_delete.connect(on_offer_deleting, sender=Offer, dispatch_uid="search_offer_deleting")
    post_delete.connect(on_offer_deleted, sender=Offer, dispatch_uid="search_offer_deleted")
    for field in ("topics", "target_groups", "languages", "areas"):
        m2m_changed.connect(
            on_offer_relation_changed,
            sender=getattr(Offer, field).through,
            dispatch_uid=f"search_offer_{field}",
        )
    for part in (Schedule, OfferLocation, Location):
        for signal in (post_save, post_delete):
            signal.connect(
                on_offer_part_changed,
                sender=part,
                dispatch_uid=f"search_{part.__name__}_{signal is post_save}",
            )
