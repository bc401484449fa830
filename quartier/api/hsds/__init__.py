"""HSDS 3.0 (Open Referral): the read API under /api/hsds/, and import and export of HSDS data.

This package is also a small Django app (label "hsds") for its table of HSDS identifiers of
records whose own keys are not UUIDs (organisations, contact persons).

`router` is loaded lazily: the package is imported while the app registry is still loading,
before models may be imported; quartier.api.base reads `router` only after that.
"""

from typing import Any

PREFIX = "/hsds/"


def __getattr__(name: str) -> Any:
    if name == "router":
        from quartier.api.hsds.endpoints import router

        return router
    raise AttributeError(name)
