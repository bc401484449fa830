from tests.matrix import STAFF, Route, everyone, only

ROUTES = [
    Route("search:search", everyone(), query="?q=Beratung&free=on"),
    Route("search:map", everyone(), query="?q=Beratung"),
    Route("search:guided", only(STAFF)),
    Route("search:guided", only(STAFF, ok=400), method="post", data=lambda w: {}),
    Route("api:search_offers_api", everyone(), query="?q=Beratung"),
    Route("api:search_geojson", everyone(), query="?bbox=6,49,7,50"),
]
