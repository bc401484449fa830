"""The official HSDS example package: its dangling ids and bad values are reported, row by row."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from quartier.api.hsds.services import catalogue_import
from quartier.api.hsds.validate import ImportFailed
from quartier.directory.models import Organisation
from quartier.offers.models import Offer

pytestmark = pytest.mark.django_db


def test_official_example_package_is_rejected_with_every_dangling_id(standards_dir):
    with pytest.raises(ImportFailed) as info:
        catalogue_import(path=standards_dir / "hsds-3.0" / "examples" / "csv", publish=True)
    errors = {(p.file, p.row, p.field) for p in info.value.report.errors}
    assert ("organizations.csv", "2", "parent_organization_id") in errors
    assert ("locations.csv", "2", "organization_id") in errors
    assert ("locations.csv", "2", "latitude") in errors  # 100 is no latitude
    assert ("taxonomy_terms.csv", "2", "taxonomy_id") in errors
    assert ("attributes.csv", "2", "link_id") in errors
    messages = " ".join(p.message for p in info.value.report.errors)
    assert "cd09a387-91f4-4555-94ec-e799c35344cd" in messages
    assert Offer.objects.count() == 0 and Organisation.objects.count() == 0


def test_import_command_lists_bad_rows(standards_dir, capsys):
    with pytest.raises(CommandError):
        call_command(
            "hsds_import", str(standards_dir / "hsds-3.0" / "examples" / "csv"), "--no-progress"
        )
    assert "organizations.csv" in capsys.readouterr().err
