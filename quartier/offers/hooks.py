"""Extension point for apps below offers (networks, venues, events): blocks on an offer's page.

An app registers in its AppConfig.ready():

    from quartier.offers.hooks import add_offer_section
    add_offer_section(Section("networks", "networks/partials/offer_networks.html", context))

`context(request, offer)` returns the template context or None (nothing to show). The networks
an offer's organisation belongs to are shown this way, so offers never imports networks.
"""

from __future__ import annotations

from quartier.core.registry import Section

offer_sections: list[Section] = []


def add_offer_section(section: Section) -> None:
    if all(existing.key != section.key for existing in offer_sections):
        offer_sections.append(section)
        offer_sections.sort(key=lambda entry: entry.order)
