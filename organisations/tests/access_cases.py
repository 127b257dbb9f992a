from organisations.tests.factories import (
    ActivityFactory,
    OrganisationFactory,
    OrganisationReviewFactory,
    VolunteerTeamFactory,
)
from tests.access import Case, Kind, pk_of

_organisation = pk_of(OrganisationFactory)
_team = pk_of(VolunteerTeamFactory)
_review = pk_of(OrganisationReviewFactory, "organisation__street")
_activity = pk_of(ActivityFactory, "organisation__street")


# The app's records carry no person: clerks and staff use its pages (PERSON_DATA: scoped, 404 for
# another street), community workers do not (403), officials read the figures (AGGREGATE).
ACCESS_CASES = [
    Case("organisations:index", Kind.PERSON_DATA),
    Case("organisations:organisation_create", Kind.PERSON_DATA),
    Case("organisations:organisation_detail", Kind.PERSON_DATA, kwargs_for=_organisation),
    Case("organisations:organisation_update", Kind.PERSON_DATA, kwargs_for=_organisation),
    Case("organisations:review_create", Kind.PERSON_DATA, kwargs_for=_organisation),
    Case("organisations:review_update", Kind.PERSON_DATA, kwargs_for=_review),
    Case("organisations:organisation_activity_create", Kind.PERSON_DATA, kwargs_for=_organisation),
    Case("organisations:team_list", Kind.PERSON_DATA),
    Case("organisations:team_create", Kind.PERSON_DATA),
    Case("organisations:team_detail", Kind.PERSON_DATA, kwargs_for=_team),
    Case("organisations:team_update", Kind.PERSON_DATA, kwargs_for=_team),
    Case("organisations:team_activity_create", Kind.PERSON_DATA, kwargs_for=_team),
    Case("organisations:activity_update", Kind.PERSON_DATA, kwargs_for=_activity),
    Case("organisations:figures", Kind.AGGREGATE),
    Case("organisations_api:organisations-list", Kind.PERSON_DATA),
    Case("organisations_api:organisations-detail", Kind.PERSON_DATA, kwargs_for=_organisation),
    Case("organisations_api:reviews-list", Kind.PERSON_DATA),
    Case("organisations_api:reviews-detail", Kind.PERSON_DATA, kwargs_for=_review),
    Case("organisations_api:teams-list", Kind.PERSON_DATA),
    Case("organisations_api:teams-detail", Kind.PERSON_DATA, kwargs_for=_team),
    Case("organisations_api:activities-list", Kind.PERSON_DATA),
    Case("organisations_api:activities-detail", Kind.PERSON_DATA, kwargs_for=_activity),
]
