from tests.matrix import LOGIN, Route, everyone

ROUTES = [
    Route("core:healthz", everyone()),
    Route("core:readyz", everyone()),
    Route("core:media", everyone(404), kwargs=lambda w: {"path": "gibt/es/nicht.png"}),
    Route("core:imprint", everyone()),
    Route("core:privacy_policy", everyone()),
    Route("core:accessibility", everyone()),
    Route("core:contact", everyone()),
    Route("core:easy_language", everyone()),
    Route("api:openapi-json", everyone()),
    Route("api:openapi-view", everyone()),
    Route("api:index", everyone()),
    Route(
        "backoffice:dashboard",
        {
            "anonymous": LOGIN,
            "resident": 200,
            "editor": 200,
            "coordinator": 200,
            "planner": 200,
            "admin": 200,
        },
    ),
]
