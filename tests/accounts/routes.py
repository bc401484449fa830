from tests.matrix import LOGGED_IN, Route, everyone, only

ROUTES = [
    Route("accounts:login", {**everyone(302), "anonymous": 200}),
    Route("accounts:logout", everyone(302), method="post"),
    Route("accounts:signup", {**everyone(302), "anonymous": 200}),
    Route("accounts:profile", only(LOGGED_IN)),
    Route("accounts:password_change", only(LOGGED_IN)),
    Route("accounts:password_changed", only(LOGGED_IN)),
    Route("accounts:delete", only(LOGGED_IN)),
    Route("backoffice:accounts:roles", only({"admin"})),
    Route(
        "backoffice:accounts:role_revoke",
        only({"admin"}, ok=302),
        method="post",
        kwargs=lambda w: {"pk": w.users["editor"].role_assignments.get().pk},
        data=lambda w: {},
    ),
]
