from tests.matrix import Route, everyone

ROUTES = [
    Route("areas:home", everyone()),
    Route("areas:picker", everyone(), query="?q=Nord"),
    Route("areas:detail", everyone(), kwargs=lambda w: {"slug": w.district.slug}),
    Route("api:area_list", everyone()),
    Route("api:area_containing", everyone(), query="?lat=49.75&lon=6.64"),
    Route("api:area_detail", everyone(), kwargs=lambda w: {"slug": w.district.slug}),
    Route("api:area_geojson", everyone(), kwargs=lambda w: {"slug": w.district.slug}),
]
