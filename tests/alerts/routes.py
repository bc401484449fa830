from quartier.alerts import tokens
from tests.matrix import LOGIN, ROLES, Route, everyone


def _owner_only() -> dict[str, int]:
    result = dict.fromkeys(ROLES, 404)
    result.update(anonymous=LOGIN, resident=302)  # the owner is redirected back
    return result


ROUTES = [
    Route("alerts:list", everyone()),
    Route("alerts:create", everyone()),
    Route("alerts:create", everyone(400), method="post", data=lambda w: {"frequency": "daily"}),
    # A news alert for new events (issue 18): the form, and an unknown topic refused.
    Route("alerts:create", everyone(), query="?source=events&alert_area=nordviertel&topic=x"),
    Route(
        "alerts:create",
        everyone(400),
        method="post",
        data=lambda w: {
            "source": "events",
            "topics": "not-a-topic",
            "frequency": "daily",
            "email": "x@example.org",
        },
    ),
    Route(
        "alerts:confirm",
        everyone(),
        kwargs=lambda w: {"token": tokens.confirm_token(w.mail_alert)},
    ),
    Route(
        "alerts:confirm",
        everyone(),
        kwargs=lambda w: {"token": tokens.confirm_token(w.mail_alert)},
        method="post",
        data=lambda w: {},
    ),
    Route("alerts:confirm", everyone(400), kwargs=lambda w: {"token": "tampered"}),
    Route(
        "alerts:unsubscribe",
        everyone(),
        kwargs=lambda w: {"token": tokens.unsubscribe_token(w.mail_alert)},
    ),
    Route(
        "alerts:unsubscribe",
        everyone(),
        kwargs=lambda w: {"token": tokens.unsubscribe_token(w.mail_alert)},
        method="post",
        data=lambda w: {},
    ),
    Route("alerts:unsubscribe", everyone(400), kwargs=lambda w: {"token": "x:y"}),
    Route("alerts:delete", _owner_only(), method="post", kwargs=lambda w: {"pk": w.alert.pk}),
]
