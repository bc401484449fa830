import pytest

from quartier.offers.taxonomy import load_vocabularies


@pytest.fixture
def vocabularies(db):
    load_vocabularies()
