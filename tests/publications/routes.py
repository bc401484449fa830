from quartier.publications import tokens
from tests.matrix import STAFF, Route, everyone, only

BO = "backoffice:publications:"


def _post_data(world) -> dict:
    return {
        "title": "Neuer Beitrag",
        "teaser": "Kurz.",
        "text": "<p>Text</p><script>alert(1)</script>",
        "organisation": world.organisation.pk,
        "area": world.district.pk,
        "tags": "Test",
        "published_at": "2026-01-01T10:00",
    }


def _list_data(world) -> dict:
    return {
        "name": "Viertelbrief Nord",
        "organisation": world.organisation.pk,
        "area": world.district.pk,
        "consent_text": "Neuer Text",
        "is_active": "on",
    }


def _issue_data(world) -> dict:
    return {
        "title": "Quartierszeitung",
        "number": "3/2026",
        "organisation": world.organisation.pk,
        "area": world.district.pk,
        "period_start": "2026-01-01",
        "period_end": "2026-02-28",
        "imprint": "Stadtteilbüro",
    }


def _review_expect() -> dict:
    expect = only(STAFF, ok=302)
    expect["editor"] = 409  # submitted it: a second person must approve
    return expect


ROUTES = [
    Route("publications:news", everyone()),
    Route("publications:news", everyone(), query="?area=nordviertel&tag=Fest"),
    Route("publications:feed", everyone()),
    Route("publications:feed_area", everyone(), kwargs=lambda w: {"slug": w.district.slug}),
    Route("publications:feed_body", everyone(), kwargs=lambda w: {"slug": w.body.slug}),
    Route("publications:post", everyone(), kwargs=lambda w: {"slug": w.post.slug}),
    Route("publications:post", everyone(404), kwargs=lambda w: {"slug": w.draft_post.slug}),
    Route("publications:lists", everyone()),
    Route("publications:subscribe", everyone(), kwargs=lambda w: {"slug": w.newsletter.slug}),
    Route(
        "publications:subscribe",
        everyone(),
        kwargs=lambda w: {"slug": w.newsletter.slug},
        method="post",
        data=lambda w: {"email": "nachbar@example.org", "consent": "on"},
    ),
    Route(
        "publications:subscribe",
        everyone(400),
        kwargs=lambda w: {"slug": w.newsletter.slug},
        method="post",
        data=lambda w: {"email": "kein-mail"},
    ),
    Route(
        "publications:confirm",
        everyone(),
        kwargs=lambda w: {"token": tokens.confirm_token(w.pending_subscriber)},
    ),
    Route(
        "publications:confirm",
        everyone(),
        kwargs=lambda w: {"token": tokens.confirm_token(w.pending_subscriber)},
        method="post",
        data=lambda w: {},
    ),
    Route("publications:confirm", everyone(400), kwargs=lambda w: {"token": "tampered"}),
    Route(
        "publications:unsubscribe",
        everyone(),
        kwargs=lambda w: {"token": tokens.unsubscribe_token(w.subscriber)},
    ),
    Route(
        "publications:unsubscribe",
        everyone(),
        kwargs=lambda w: {"token": tokens.unsubscribe_token(w.subscriber)},
        method="post",
        data=lambda w: {},
    ),
    Route("publications:unsubscribe", everyone(400), kwargs=lambda w: {"token": "x:y"}),
    Route(
        "publications:manage",
        everyone(),
        kwargs=lambda w: {"token": tokens.manage_token(w.subscriber)},
    ),
    Route("publications:manage", everyone(400), kwargs=lambda w: {"token": "x:y"}),
    Route(
        "publications:manage",
        everyone(),
        kwargs=lambda w: {"token": tokens.manage_token(w.subscriber)},
        method="post",
        data=lambda w: {"language": "en"},
    ),
    Route(
        "publications:manage",
        everyone(400),
        kwargs=lambda w: {"token": tokens.manage_token(w.subscriber)},
        method="post",
        data=lambda w: {"language": "xx"},
    ),
    # No bounce token configured: the webhook refuses everyone.
    Route(
        "publications:bounces",
        everyone(403),
        method="post",
        data=lambda w: {"email": "leserin@example.org"},
        content_type="application/json",
    ),
    Route("publications:archive", everyone()),
    Route("publications:issue", everyone(), kwargs=lambda w: {"pk": w.issue.pk}),
    Route("publications:issue", everyone(404), kwargs=lambda w: {"pk": w.draft_issue.pk}),
    Route("publications:issue_pdf", everyone(), kwargs=lambda w: {"pk": w.issue.pk}),
    # Back office
    Route(BO + "posts", only(STAFF)),
    Route(BO + "post_create", only(STAFF)),
    Route(BO + "post_create", only(STAFF, ok=400), method="post", data=lambda w: {}),
    Route(BO + "post_create", only(STAFF, ok=302), method="post", data=_post_data),
    Route(BO + "post_edit", only(STAFF), kwargs=lambda w: {"pk": w.post.pk}),
    Route(
        BO + "post_edit",
        only(STAFF, ok=302),
        kwargs=lambda w: {"pk": w.post.pk},
        method="post",
        data=_post_data,
    ),
    Route(BO + "lists", only(STAFF)),
    Route(BO + "list_create", only(STAFF)),
    Route(BO + "list_create", only(STAFF, ok=400), method="post", data=lambda w: {}),
    Route(BO + "list_edit", only(STAFF), kwargs=lambda w: {"pk": w.newsletter.pk}),
    Route(
        BO + "list_edit",
        only(STAFF, ok=302),
        kwargs=lambda w: {"pk": w.newsletter.pk},
        method="post",
        data=_list_data,
    ),
    Route(BO + "issues", only(STAFF)),
    Route(BO + "issue_create", only(STAFF)),
    Route(BO + "issue_create", only(STAFF, ok=302), method="post", data=_issue_data),
    Route(BO + "issue_edit", only(STAFF), kwargs=lambda w: {"pk": w.draft_issue.pk}),
    Route(
        BO + "issue_edit",
        only(STAFF, ok=302),
        kwargs=lambda w: {"pk": w.draft_issue.pk},
        method="post",
        data=_issue_data,
    ),
    Route(
        BO + "issue_edit",
        only(STAFF, ok=409),
        kwargs=lambda w: {"pk": w.sent_issue.pk},
        method="post",
        data=_issue_data,
    ),
    Route(
        BO + "article_add",
        only(STAFF, ok=302),
        kwargs=lambda w: {"pk": w.draft_issue.pk},
        method="post",
        data=lambda w: {"title": "Neu", "text": "<p>Text</p>"},
    ),
    Route(
        BO + "issue_submit",
        only(STAFF, ok=302),
        kwargs=lambda w: {"pk": w.draft_issue.pk},
        method="post",
        data=lambda w: {},
    ),
    Route(
        BO + "issue_approve",
        _review_expect(),
        kwargs=lambda w: {"pk": w.review_issue.pk},
        method="post",
        data=lambda w: {"publish_at": "2026-12-24T10:00"},
    ),
    Route(
        BO + "issue_send",
        only(STAFF, ok=302),
        kwargs=lambda w: {"pk": w.issue.pk},
        method="post",
        data=lambda w: {"newsletter": w.newsletter.pk},
    ),
    Route(BO + "mailing", only(STAFF), kwargs=lambda w: {"pk": w.mailing.pk}),
]
