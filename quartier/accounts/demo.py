"""Demo logins, one per role (password: quartier.core.demo.DEMO_PASSWORD).

Accounts load before areas and organisations (app order), so the role assignments that need
them are made by areas/demo.py (planners) and directory/demo.py (coordinator, editor).

Staff roles and admins must log in with a second factor (twofactor.py), in the demo too: the
demo's staff accounts share one published TOTP key, DEMO_TOTP_KEY, which `seed_demo` prints
(add it to an authenticator app once) and `quartier demo_code` turns into the current code.
The key is public, like the demo password: never load the demo into a production database.
"""

from __future__ import annotations

from base64 import b32encode

from django_otp.plugins.otp_totp.models import TOTPDevice

from quartier.accounts import twofactor
from quartier.accounts.models import User
from quartier.core.demo import DEMO_PASSWORD, DemoContext, upsert

# 20 bytes, hex as django-otp stores it; in an app: DEMO_TOTP_SECRET.
DEMO_TOTP_KEY = b"quartier-demo-totp!!".hex()
DEMO_TOTP_SECRET = b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode("ascii")

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
        if key != "resident":
            upsert(
                TOTPDevice,
                lookup={"user": user, "name": twofactor.TOTP_NAME},
                values={"key": DEMO_TOTP_KEY, "confirmed": True},
                clean=False,
            )
    ctx.extra.setdefault("login_notes", []).append(
        "Staff logins ask for a code from an authenticator app: add the key "
        f"{DEMO_TOTP_SECRET} (TOTP, 6 digits, 30 s) to one, or run `quartier demo_code`."
    )
