from tests.publicity.builders import make_asset  # noqa: F401
from tests.volunteers.builders import add_volunteer, vcity  # noqa: F401
