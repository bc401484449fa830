from quartier.accounts import tokens
from tests.matrix import LOGGED_IN, LOGIN, STAFF, Route, everyone, only

ROUTES = [
    Route("accounts:login", {**everyone(302), "anonymous": 200}),
    # Nothing owed: a verified session or one without a second factor goes on at once.
    # Without a login under way, anonymous visitors are sent to the login form.
    Route("accounts:login_verify", {**everyone(302), "anonymous": LOGIN}),
    Route("accounts:logout", everyone(302), method="post", changes=False),  # the session only
    Route("accounts:signup", {**everyone(302), "anonymous": 200}),
    Route("accounts:signup_sent", everyone(200)),
    Route(
        "accounts:signup_confirm",
        everyone(200),
        kwargs=lambda w: {"token": tokens.activation_token(w.users["resident"])},
    ),
    # The button of that page; the world's resident is active already, so nothing changes
    # (activation itself: tests/accounts/test_accounts.py). It ends on the login form.
    Route(
        "accounts:signup_confirm",
        everyone(LOGIN),
        method="post",
        kwargs=lambda w: {"token": tokens.activation_token(w.users["resident"])},
        data=lambda w: {},
        changes=False,
    ),
    Route("accounts:profile", only(LOGGED_IN)),
    Route("accounts:password_change", only(LOGGED_IN)),
    Route("accounts:password_changed", only(LOGGED_IN)),
    Route("accounts:password_reset", everyone(200)),
    Route("accounts:password_reset_sent", everyone(200)),
    # A link that does not work (any more) explains itself; valid links: test_password_reset.py.
    Route(
        "accounts:password_reset_confirm",
        everyone(200),
        kwargs=lambda w: {"uidb64": "MQ", "token": "abc-123"},
    ),
    Route("accounts:password_reset_complete", everyone(200)),
    Route("accounts:two_factor", only(LOGGED_IN)),
    # Staff have their second factor already (tests/conftest.py): to the overview.
    Route("accounts:two_factor_setup", {**only(LOGGED_IN), **dict.fromkeys(STAFF, 302)}),
    # Residents have none yet: to the set-up.
    Route("accounts:recovery_codes", {**only(STAFF), "resident": 302}),
    Route(
        "accounts:two_factor_disable",
        {**only(STAFF, ok=422), "resident": 302},
        method="post",
        data=lambda w: {},
        # Staff: the empty form is refused; residents have no second factor to switch off.
        # Switching off: tests/accounts/test_two_factor.py.
        changes=False,
    ),
    # Security keys (tests/accounts/test_security_keys.py for the ceremonies).
    Route("accounts:security_keys", only(LOGGED_IN)),
    # New options put a challenge into the session only.
    Route(
        "accounts:security_key_register_options",
        only(LOGGED_IN),
        method="post",
        data=lambda w: {},
        changes=False,
    ),
    # No browser answer in the body: refused.
    Route(
        "accounts:security_key_register",
        only(LOGGED_IN, ok=400),
        method="post",
        data=lambda w: {},
    ),
    # Nobody in the world has a key: 404 (someone else's key: 404 too, in the test file).
    Route(
        "accounts:security_key_rename",
        only(LOGGED_IN, ok=404),
        method="post",
        kwargs=lambda w: {"pk": 999_999},
        data=lambda w: {"key999999-name": "x"},
    ),
    Route(
        "accounts:security_key_remove",
        only(LOGGED_IN, ok=404),
        method="post",
        kwargs=lambda w: {"pk": 999_999},
        data=lambda w: {},
    ),
    # The login's key step: without a password login 403 (JSON); accounts without a key 404.
    Route(
        "accounts:login_key_options",
        {**everyone(404), "anonymous": 403},
        method="post",
        data=lambda w: {},
    ),
    Route(
        "accounts:login_key",
        {**everyone(400), "anonymous": LOGIN},
        method="post",
        data=lambda w: {},
    ),
    Route("accounts:delete", only(LOGGED_IN)),
    Route("backoffice:accounts:roles", only({"admin"})),
    Route(
        "backoffice:accounts:role_revoke",
        only({"admin"}, ok=302),
        method="post",
        kwargs=lambda w: {"pk": w.users["editor"].role_assignments.get().pk},
        data=lambda w: {},
    ),
    Route("backoffice:accounts:security", only({"admin"})),
    Route(
        "backoffice:accounts:unlock",
        only({"admin"}, ok=302),
        method="post",
        data=lambda w: {"username": "someone"},
        # Nobody is locked out in the world; unlocking: tests/accounts/test_lockout.py.
        changes=False,
    ),
    # DSGVO rights (tests/accounts/test_privacy.py for their effect).
    Route("accounts:my_data", only(LOGGED_IN)),
    Route("accounts:privacy_request", everyone(200)),
    # Only a mail is queued (after commit): no row changes.
    Route(
        "accounts:privacy_request",
        everyone(302),
        method="post",
        data=lambda w: {"email": "niemand@example.org"},
        changes=False,
    ),
    Route("accounts:privacy_request_sent", everyone(200)),
    Route(
        "accounts:privacy_data",
        everyone(200),
        kwargs=lambda w: {"token": tokens.privacy_token("niemand@example.org")},
    ),
    # Without the confirmation box the erasure is refused.
    Route(
        "accounts:privacy_data",
        everyone(422),
        method="post",
        kwargs=lambda w: {"token": tokens.privacy_token("niemand@example.org")},
        data=lambda w: {},
    ),
    Route("backoffice:accounts:privacy", only({"admin"})),
    Route("backoffice:accounts:privacy", only({"admin"}, ok=422), method="post", data=lambda w: {}),
    Route("backoffice:accounts:processing_register", only({"admin"})),
]
