"""Demo logins, one per role (password: quartier.core.demo.DEMO_PASSWORD).

Accounts load before areas and organisations (app order), so the role assignments that need
them are made by areas/demo.py (planners) and directory/demo.py (coordinator, editor).
"""

from __future__ import annotations

from quartier.accounts.models import User
from quartier.core.demo import DEMO_PASSWORD, DemoContext, upsert

# ctx key, username, display name, role shown in the login list, superuser
USERS = [
    ("admin", "admin", "Plattform-Administration", "Platform admin", True),
    ("planner", "planung", "Sozialraumplanung Stadt Trier", "Area planner", False),
    ("planner-lk", "planung-landkreis", "Jugendhilfeplanung Trier-Saarburg", "Area planner", False),
    ("coordinator", "quartiersmanagement", "Quartiersmanagement Trier-West", "Coordinator", False),
    ("editor", "redaktion", "Redaktion Caritasverband Trier", "Organisation editor", False),
    ("resident", "bewohnerin", "Bewohnerin", "Resident", False),
]


def load(ctx: DemoContext) -> None:
    for key, username, display_name, role, superuser in USERS:
        user = upsert(
            User,
            lookup={"username": username},
            values={
                "email": f"{username}@example.org",
                "display_name": display_name,
                "is_superuser": superuser,
                "is_staff": superuser,
                "is_active": True,
            },
            clean=False,
        )
        # Set the password only when it differs: a new hash (new salt) would change the row.
        if not user.has_usable_password() or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        ctx.users[key] = user
        ctx.logins.append((role, username, display_name))
