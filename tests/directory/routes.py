from tests.matrix import Route, everyone

ROUTES = [
    Route("directory:organisation", everyone(), kwargs=lambda w: {"slug": w.organisation.slug}),
]
