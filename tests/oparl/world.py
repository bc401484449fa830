"""Adds the OParl scene (tests/oparl/scene.py) to the shared test world as `world.oparl`.

Files are recorded without content here (the shared world has no temporary media folder), so
downloads answer 404 in the role matrix; tests/oparl/test_api.py checks real downloads.
"""

from tests.oparl.scene import build_scene

ORDER = 200


def extend(world) -> None:
    world.extra["oparl"] = build_scene(world, store_files=False)
