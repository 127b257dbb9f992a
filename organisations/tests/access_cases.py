from organisations.tests.factories import (
    ActivityFactory,
    OrganisationFactory,
    OrganisationReviewFactory,
    VolunteerTeamFactory,
)
from tests.access import Case, Kind, person_data, pk_of

_organisation = pk_of(OrganisationFactory)
_team = pk_of(VolunteerTeamFactory)
_review = pk_of(OrganisationReviewFactory, "organisation__street")
_activity = pk_of(ActivityFactory, "organisation__street")


# The app's records carry no person: clerks and staff use its pages (PERSON_DATA: scoped, 404 for
# another street), community workers do not (403), officials read the figures (AGGREGATE).
ACCESS_CASES = [
    *person_data("organisations:index", "organisations:organisation_create"),
    *person_data("organisations:team_list", "organisations:team_create"),
    *person_data(
        "organisations:organisation_detail",
        "organisations:organisation_update",
        "organisations:review_create",
        "organisations:organisation_activity_create",
        "organisations_api:organisations-detail",
        kwargs_for=_organisation,
    ),
    *person_data("organisations:review_update", "organisations_api:reviews-detail", kwargs_for=_review),
    *person_data(
        "organisations:team_detail",
        "organisations:team_update",
        "organisations:team_activity_create",
        "organisations_api:teams-detail",
        kwargs_for=_team,
    ),
    *person_data(
        "organisations:activity_update", "organisations_api:activities-detail", kwargs_for=_activity
    ),
    Case("organisations:figures", Kind.AGGREGATE),
    *person_data(
        "organisations_api:organisations-list",
        "organisations_api:reviews-list",
        "organisations_api:teams-list",
        "organisations_api:activities-list",
    ),
]
