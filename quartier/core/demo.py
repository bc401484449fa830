"""The demo data framework: `quartier seed_demo` calls each app's `demo.load(ctx)` in app order.

Apps share objects through `ctx` (for example `ctx.areas["trier"]`), and write the demo logins
they create into `ctx.logins` so that the command can print them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DEMO_PASSWORD = "quartier-demo"


@dataclass
class DemoContext:
    areas: dict[str, Any] = field(default_factory=dict)
    organisations: dict[str, Any] = field(default_factory=dict)
    people: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    # (role, username, what the login shows)
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    verbosity: int = 1

    def log(self, message: str) -> None:
        if self.verbosity > 1:
            print(message)
