"""The demo's joint statement: a real demo network, two versions, comments, three signers,
published with its PDF."""

from __future__ import annotations

import pytest

from quartier.core.demo import DemoContext, load_all
from quartier.statements.demo import TITLE
from quartier.statements.models import Comment, State, Statement

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_a_joint_statement_of_the_arbeitskreis(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load_all(DemoContext(verbosity=0))
    statement = Statement.objects.get(title=TITLE)
    assert statement.body.slug == "arbeitskreis-trier-west-pallien"
    assert statement.state == State.PUBLISHED
    assert statement.versions.count() == 2
    assert Comment.objects.filter(version__statement=statement).count() == 2
    assert statement.signatures.valid().count() == 3
    assert statement.document.versions.get().file_name.endswith(".pdf")
