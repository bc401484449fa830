from quartier.api.hsds import ids
from tests.matrix import Route, everyone

ROUTES = [
    Route("api:hsds_index", everyone()),
    Route("api:hsds_services", everyone()),
    Route("api:hsds_services", everyone(422), query="?per_page=5&lat=91&lon=6"),
    Route("api:hsds_service", everyone(), kwargs=lambda w: {"id": w.hsds_offer.pk}),
    Route("api:hsds_service_at_locations", everyone(), query="?full=true"),
    Route("api:hsds_service_at_location", everyone(), kwargs=lambda w: {"id": w.hsds_link.pk}),
    Route("api:hsds_organizations", everyone()),
    Route(
        "api:hsds_organization",
        everyone(),
        kwargs=lambda w: {"id": ids.organisation_default(w.organisation.pk)},
    ),
    Route("api:hsds_taxonomies", everyone()),
    Route("api:hsds_taxonomy", everyone(), kwargs=lambda w: {"id": w.hsds_term.taxonomy_id}),
    Route("api:hsds_taxonomy_terms", everyone()),
    Route("api:hsds_taxonomy_term", everyone(), kwargs=lambda w: {"id": w.hsds_term.pk}),
]
