import pytest

from .world import build_world


@pytest.fixture
def world(db, make_user):
    return build_world(make_user)


@pytest.fixture
def client_for(client):
    """A test client signed in as one of the world's users (Chinese, the default language)."""

    def _for(user):
        client.force_login(user)
        return client

    return _for
