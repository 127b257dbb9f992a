from tests.access import Case, Kind

ACCESS_CASES = [
    Case("registry:data_quality", Kind.PERSON_DATA),
]
