from tests.access import Case, Kind  # noqa: F401

ACCESS_CASES: list = []
