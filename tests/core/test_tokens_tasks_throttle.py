"""The shared pieces every app builds on: signed tokens, enqueue after commit, the throttle
and the honeypot."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.core.cache import caches
from django.db import transaction
from django.test import RequestFactory
from django_tasks import task

from quartier.core import throttle, tokens
from quartier.core.forms import HoneypotMixin
from quartier.core.tasks import enqueue_on_commit

# --- tokens ---------------------------------------------------------------------------------


def test_token_round_trip_and_purpose_binding():
    token = tokens.make("demo.confirm", {"id": 7})
    assert tokens.read("demo.confirm", token) == {"id": 7}
    with pytest.raises(tokens.BadToken) as exc:
        tokens.read("demo.unsubscribe", token)
    assert exc.value.reason == "invalid"


@pytest.mark.parametrize(
    "mangle", [lambda t: t[:-2], lambda t: "x" + t, lambda t: "", lambda t: "%%%"]
)
def test_changed_token_is_invalid(mangle):
    token = tokens.make("demo.confirm", 7)
    with pytest.raises(tokens.BadToken) as exc:
        tokens.read("demo.confirm", mangle(token))
    assert exc.value.reason == "invalid"


def test_token_expires(monkeypatch):
    token = tokens.make("demo.confirm", 7)
    assert tokens.read("demo.confirm", token, max_age=dt.timedelta(hours=1)) == 7
    real_time = signing.time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() + 7200)
    with pytest.raises(tokens.BadToken) as exc:
        tokens.read("demo.confirm", token, max_age=dt.timedelta(hours=1))
    assert exc.value.reason == "expired"
    # Without max_age the same token still reads.
    assert tokens.read("demo.confirm", token) == 7


def test_read_int_refuses_other_values():
    assert tokens.read_int("demo.x", tokens.make("demo.x", 5)) == 5
    for value in ["5", True, None, [5]]:
        with pytest.raises(tokens.BadToken):
            tokens.read_int("demo.x", tokens.make("demo.x", value))


def test_tokens_made_with_signing_dumps_keep_working():
    """Links mailed before core.tokens existed were made by signing.dumps with the same salt."""
    old = signing.dumps(42, salt="quartier.alerts.confirm")
    assert tokens.read("quartier.alerts.confirm", old) == 42


# --- enqueue after commit -------------------------------------------------------------------

RAN: list[int] = []


@task()
def _remember(value: int) -> None:
    RAN.append(value)


@pytest.mark.django_db(transaction=True)
def test_enqueue_on_commit_runs_after_commit_and_never_after_rollback():
    RAN.clear()
    with transaction.atomic():
        enqueue_on_commit(_remember, 1)
        assert RAN == []  # not before the commit
    assert RAN == [1]
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(_remember, 2)
        raise RuntimeError("roll back")
    assert RAN == [1]
    enqueue_on_commit(_remember, 3)  # outside a transaction: now
    assert RAN == [1, 3]


# --- throttle -------------------------------------------------------------------------------


def _request(remote: str = "203.0.113.5", forwarded: str = ""):
    meta = {"REMOTE_ADDR": remote}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().post("/", **meta)
    request.user = AnonymousUser()
    return request


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "client"),
    [
        ([], "203.0.113.5", "198.51.100.1", "203.0.113.5"),  # no proxy trusted: header ignored
        ([], "127.0.0.1", "198.51.100.1", "127.0.0.1"),  # loopback is not trusted by itself
        (["127.0.0.1"], "127.0.0.1", "198.51.100.1", "198.51.100.1"),
        (["127.0.0.1"], "127.0.0.1", "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # forged left
        (["127.0.0.1", "10.0.0.0/8"], "127.0.0.1", "198.51.100.1, 10.1.2.3", "198.51.100.1"),
        (["127.0.0.1"], "127.0.0.1", "not-an-ip", "127.0.0.1"),
        (["127.0.0.1"], "203.0.113.9", "198.51.100.1", "203.0.113.9"),  # untrusted peer
    ],
)
def test_client_address_trusts_only_named_proxies(settings, proxies, remote, forwarded, client):
    settings.QUARTIER_TRUSTED_PROXIES = proxies
    assert throttle.client_address(_request(remote, forwarded)) == client


@pytest.mark.django_db
def test_throttle_counts_per_client_and_refuses_over_the_limit(settings):
    settings.QUARTIER_THROTTLE_RATES = {"demo.form": [[3, 60]]}
    for _ in range(3):
        assert throttle.hit("demo.form", _request()) is None
    refusal = throttle.hit("demo.form", _request())
    assert refusal is not None
    assert 1 <= refusal.retry_after <= 61
    # Another client and another scope count apart.
    assert throttle.hit("demo.form", _request("203.0.113.77")) is None
    assert throttle.hit("demo.other", _request()) is None


@pytest.mark.django_db
def test_ipv6_clients_count_by_their_64(settings):
    settings.QUARTIER_THROTTLE_RATES = {"demo.form": [[1, 60]]}
    assert throttle.hit("demo.form", _request("2001:db8::1")) is None
    assert throttle.hit("demo.form", _request("2001:db8::ffff")) is not None
    assert throttle.hit("demo.form", _request("2001:db8:0:1::1")) is None


@pytest.mark.django_db
def test_throttle_counts_per_address_too(settings):
    settings.QUARTIER_THROTTLE_RATES = {"demo.form": [[100, 60]]}
    for n in range(3):
        assert throttle.hit("demo.form", _request(f"203.0.113.{n}"), address="A@x.org") is None
    assert throttle.hit("demo.form", _request("203.0.113.50"), address=" a@X.org ") is not None


@pytest.mark.django_db
def test_throttle_keeps_no_address_in_clear(settings):
    settings.QUARTIER_THROTTLE_RATES = {"demo.form": [[5, 60]]}
    throttle.hit("demo.form", _request("203.0.113.5"), address="someone@example.org")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {settings.SHARED_CACHE_TABLE}")
        keys = " ".join(row[0] for row in cursor.fetchall())
    assert keys  # the counters are in the shared table
    assert "someone" not in keys and "203.0.113.5" not in keys


@pytest.mark.django_db
def test_shared_cache_is_the_database_table_by_default():
    caches["shared"].set("probe", 1, 30)
    assert caches["shared"].get("probe") == 1
    from django.core.cache.backends.db import DatabaseCache

    assert isinstance(caches["shared"], DatabaseCache)


@pytest.mark.django_db
def test_throttle_post_decorator_answers_429_on_post_only(settings, rf):
    settings.QUARTIER_THROTTLE_RATES = {"demo.view": [[1, 60]]}
    calls = []

    @throttle.throttle_post("demo.view")
    def view(request):
        calls.append(request.method)
        from django.http import HttpResponse

        return HttpResponse("ok")

    assert view(_request()).status_code == 200
    response = view(_request())
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert "Minute" in response.content.decode()  # German message
    get = rf.get("/", REMOTE_ADDR="203.0.113.5")
    get.user = AnonymousUser()
    assert view(get).status_code == 200
    assert calls == ["POST", "GET"]


@pytest.mark.django_db
def test_api_check_raises_429(settings):
    from ninja.errors import HttpError

    settings.QUARTIER_THROTTLE_RATES = {"demo.api": [[1, 60]]}
    throttle.api_check("demo.api", _request())
    with pytest.raises(HttpError) as exc:
        throttle.api_check("demo.api", _request())
    assert exc.value.status_code == 429


# --- honeypot -------------------------------------------------------------------------------


class _Form(HoneypotMixin, forms.Form):
    name = forms.CharField()


def test_honeypot_left_empty_passes():
    assert _Form(data={"name": "Ada"}).is_valid()


def test_filled_honeypot_makes_the_form_invalid():
    form = _Form(data={"name": "Ada", HoneypotMixin.HONEYPOT_NAME: "http://spam.example"})
    assert not form.is_valid()
    assert form.non_field_errors()


def test_honeypot_is_rendered_hidden_from_people():
    from django.template.loader import render_to_string

    html = render_to_string("layout/form_fields.html", {"form": _Form()})
    assert 'class="hp-box" aria-hidden="true"' in html
    assert f'name="{HoneypotMixin.HONEYPOT_NAME}"' in html
    assert 'tabindex="-1"' in html


@pytest.mark.django_db
def test_honeypot_works_with_model_forms():
    from quartier.accounts.models import User

    class UserForm(HoneypotMixin, forms.ModelForm):
        class Meta:
            model = User
            fields = ["username"]

    form = UserForm(data={"username": "x", HoneypotMixin.HONEYPOT_NAME: "y"})
    assert HoneypotMixin.HONEYPOT_NAME in form.fields
    assert not form.is_valid()
