from tests.volunteers.builders import add_volunteer, vcity  # noqa: F401
