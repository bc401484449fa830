"""Published joint statements in OParl: a Paper of the body with the signing organisations as
originators (each an Organization of its own, in the body's organization list), the PDF as
mainFile; withdrawn signers and drafts appear nowhere."""

from __future__ import annotations

import pytest
from django.conf import settings

from quartier.statements.models import Signature
from tests.oparl.conftest import oparl_url

pytestmark = pytest.mark.django_db


def _absolute(name: str, **kwargs) -> str:
    return f"{settings.SITE_URL}{oparl_url(name, **kwargs)}"


def test_a_published_statement_is_a_paper_with_its_signers_as_originators(client, scene, world):
    paper = client.get(oparl_url("paper", pk=scene.signed_statement.document_id)).json()
    assert paper["name"] == "Gemeinsame Stellungnahme zum Jugendtreff"
    signers = sorted([world.organisation, scene.signer], key=lambda org: org.name)
    assert paper["originatorOrganization"] == [
        _absolute("member_organization", pk=org.pk) for org in signers
    ]
    assert paper["underDirectionOf"] == [_absolute("organization", pk=scene.gremium.pk)]
    assert paper["mainFile"]["mimeType"] == "application/pdf"


def test_other_documents_still_originate_from_the_network(client, scene):
    paper = client.get(oparl_url("paper", pk=scene.statement.pk)).json()
    assert paper["originatorOrganization"] == [_absolute("organization", pk=scene.gremium.pk)]


def test_a_signer_is_an_institution_listed_with_the_bodys_organizations(client, scene):
    signer = client.get(oparl_url("member_organization", pk=scene.signer.pk)).json()
    assert signer["type"] == "https://schema.oparl.org/1.1/Organization"
    assert signer["organizationType"] == "Institution"
    assert signer["name"] == "Jugendhilfe Nord e.V."
    assert signer["website"] == "https://jh-nord.example.org/"
    listed = client.get(oparl_url("body_organization", pk=scene.area.pk)).json()
    ids = [obj["id"] for obj in listed["data"]]
    assert signer["id"] in ids
    assert _absolute("organization", pk=scene.gremium.pk) in ids
    assert listed["pagination"]["totalElements"] == len(ids)


def test_the_organization_list_pages_across_networks_and_signers(client, scene):
    url = oparl_url("body_organization", pk=scene.area.pk)
    everything = [obj["id"] for obj in client.get(url).json()["data"]]
    seen, page = [], client.get(url, {"elementsPerPage": 1}).json()
    while True:
        seen += [obj["id"] for obj in page["data"]]
        if "next" not in page["links"]:
            break
        page = client.get(page["links"]["next"][len(settings.SITE_URL) :]).json()
    assert seen == everything


def test_withdrawn_signers_and_unsigned_organisations_are_no_oparl_objects(client, scene, world):
    withdrawn = Signature.objects.get(withdrawn_at__isnull=False).organisation
    assert client.get(oparl_url("member_organization", pk=withdrawn.pk)).status_code == 404
    assert client.get(oparl_url("member_organization", pk=999_999)).status_code == 404


def test_a_statement_of_a_network_that_went_private_disappears(client, scene):
    scene.gremium.is_public = False
    scene.gremium.save(update_fields=["is_public"])
    assert client.get(oparl_url("member_organization", pk=scene.signer.pk)).status_code == 404
