from tests.matrix import Route, everyone, only

MANAGERS = {"planner", "admin"}

ROUTES = [
    Route("areas:home", everyone()),
    Route("areas:picker", everyone(), query="?q=Nord"),
    Route("areas:detail", everyone(), kwargs=lambda w: {"slug": w.district.slug}),
    Route("api:area_list", everyone()),
    Route("api:area_containing", everyone(), query="?lat=49.75&lon=6.64"),
    Route("api:area_detail", everyone(), kwargs=lambda w: {"slug": w.district.slug}),
    Route("api:area_geojson", everyone(), kwargs=lambda w: {"slug": w.district.slug}),
    Route("backoffice:areas:list", only(MANAGERS)),
    Route("backoffice:areas:create", only(MANAGERS)),
    Route("backoffice:areas:edit", only(MANAGERS), kwargs=lambda w: {"slug": w.district.slug}),
    # Outside the planner's city: only platform admins.
    Route("backoffice:areas:edit", only({"admin"}), kwargs=lambda w: {"slug": w.other_city.slug}),
    Route("backoffice:areas:history", only(MANAGERS), kwargs=lambda w: {"slug": w.district.slug}),
]
