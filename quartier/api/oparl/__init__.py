"""OParl 1.1: the public networks, their meetings and papers for council-information clients.

Mounted at /api/oparl/v1/ (entry point /api/oparl/v1/system) by quartier.api.base; the mapping
of our models onto OParl is explained in docs/adr/0003-oparl-mapping.md.
"""

from quartier.api.oparl.views import router

PREFIX = "/oparl/v1/"

__all__ = ["PREFIX", "router"]
