"""Who builds the tests' command structure: the office, as a scope (these fixtures have no office user yet; the
tests that check whom the history names sign in as one). Campaign services refuse every other actor."""

from core.roles import Role
from core.scope import Scope

OFFICE = Scope(role=Role.OFFICE, is_authenticated=True, region_ids=None, read_only=False, label="test data")
