from tests.matrix import Route, everyone

ROUTES = [
    Route(
        "accounts:login",
        {
            "anonymous": 200,
            "resident": 302,
            "editor": 302,
            "coordinator": 302,
            "planner": 302,
            "admin": 302,
        },
    ),
    Route("accounts:logout", everyone(302), method="post"),
]
