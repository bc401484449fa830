"""Demo news, a newsletter and an issue of the Quartierszeitung Trier-West.

Real public institutions, invented content and subscribers (example.org); dates relative to
today. Natural keys: a post's slug, a list's slug, an issue's publisher and number.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from quartier.core.demo import DemoContext, upsert
from quartier.publications.models import (
    Article,
    Issue,
    IssueStatus,
    NewsletterList,
    Post,
    Subscriber,
)

POSTS = [
    (
        "spielplatz-trier-west-eroeffnet",
        "Neuer Spielplatz in Trier-West eröffnet",
        "Nach einem Jahr Planung mit Kindern aus dem Viertel ist der Spielplatz fertig.",
        "<h2>Mit Kindern geplant</h2><p>Kinder aus zwei Grundschulen haben mitentschieden, was "
        "auf den Platz kommt: eine Kletterwand, eine Wasserrinne und viel Schatten.</p>"
        "<ul><li>geöffnet täglich 8 bis 20 Uhr</li><li>barrierearm erreichbar</li></ul>",
        "stadtteilbuero-trier-west",
        "trier-west-pallien",
        "Spielplatz, Beteiligung",
        3,
    ),
    (
        "sprechstunde-mieterberatung",
        "Mieterberatung jetzt jeden Dienstag",
        "Die Sprechstunde zur Mieterberatung findet ab sofort wöchentlich statt.",
        "<p>Fragen zu Nebenkosten, Reparaturen oder Mieterhöhungen? Kommen Sie ohne Termin "
        "vorbei.</p>",
        "stadtteilbuero-trier-west",
        "trier-west-pallien",
        "Beratung, Wohnen",
        10,
    ),
]


def load(ctx: DemoContext) -> None:
    now = timezone.now()
    posts = {}
    for slug, title, teaser, text, org, area, tags, days_ago in POSTS:
        if org not in ctx.organisations:
            continue
        posts[slug] = upsert(
            Post,
            lookup={"slug": slug},
            values={
                "title": title,
                "teaser": teaser,
                "text": text,
                "organisation": ctx.organisations[org],
                "area": ctx.areas.get(area),
                "tags": tags,
                "published_at": timezone.make_aware(
                    dt.datetime.combine(
                        timezone.localdate() - dt.timedelta(days=days_ago), dt.time(9)
                    )
                ),
            },
        )
    office = ctx.organisations.get("stadtteilbuero-trier-west")
    area = ctx.areas.get("trier-west-pallien")
    if office is None or area is None:
        return
    newsletter = upsert(
        NewsletterList,
        lookup={"slug": "quartierszeitung-trier-west"},
        values={
            "name": "Quartierszeitung Trier-West per E-Mail",
            "description": "Die Quartierszeitung und Neuigkeiten aus Trier-West und Pallien.",
            "organisation": office,
            "area": area,
            "consent_text": (
                "Ich möchte die Quartierszeitung Trier-West per E-Mail erhalten. Meine Adresse "
                "wird nur dafür verwendet; ich kann mich jederzeit abmelden."
            ),
        },
    )
    for email in ("leserin.demo@example.org", "leser.demo@example.org"):
        upsert(
            Subscriber,
            lookup={"newsletter": newsletter, "email": email},
            values={
                "confirmed_at": newsletter.created_at,
                "consent_version": newsletter.consent_version,
                "consent_text": newsletter.consent_text,
            },
            clean=False,
        )
    today = timezone.localdate()
    issue = upsert(
        Issue,
        lookup={"organisation": office, "number": f"{today.month}/{today.year}"},
        values={
            "title": "Quartierszeitung Trier-West",
            "area": area,
            "period_start": today.replace(day=1),
            "period_end": today.replace(day=1) + dt.timedelta(days=60),
            "editorial": "<p>Liebe Nachbarinnen und Nachbarn, in dieser Ausgabe: ein neuer "
            "Spielplatz, Beratung im Stadtteilbüro und was in den nächsten Wochen los ist.</p>",
            "imprint": "Herausgeber: Stadtteilbüro Trier-West, Pater-Loskyll-Weg 15, 54294 Trier."
            "\nV. i. S. d. P.: die Redaktion der Quartierszeitung (Demo).",
            "status": IssueStatus.SCHEDULED,
            "publish_at": now.replace(day=1, hour=8, minute=0, second=0, microsecond=0),
        },
    )
    for position, slug in enumerate(posts, start=1):
        post = posts[slug]
        upsert(
            Article,
            lookup={"issue": issue, "post": post},
            values={
                "position": position,
                "title": post.title,
                "text": f"<p><strong>{post.teaser}</strong></p>{post.text}",
            },
            clean=False,
        )
