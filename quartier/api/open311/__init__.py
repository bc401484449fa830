"""Open311 GeoReport v2: residents' concerns for third-party apps and city systems.

Mounted at /api/open311/v2/ by quartier.api.base (the endpoints in views.py, the formats and
the error format in render.py). The mapping of concerns onto the specification is explained
in docs/architecture.md ("Concerns and Open311").
"""

from quartier.api.open311.views import router

PREFIX = "/open311/v2/"

__all__ = ["PREFIX", "router"]
