"""The templates the imports feature offers, by the name used in URLs, the import log and the
`import_excel` command; their order is the order of the import page's choices. Each resource is
defined in its own app (`<app>/resources.py`) on sheets.resources.PortalResource."""

from __future__ import annotations

from care_homes.resources import AuxProjectResource, CareHomeResource, PlacementResource
from cases.resources import CaseResource
from certificates.resources import ApplicationResource
from education.resources import EducationAidResource, HomeTeachingVisitResource
from employment.resources import EmploymentResource, GraduateResource, TrainingResource
from legal_aid.resources import AidCaseResource, ConsultationResource
from organisations.resources import OrganisationResource, VolunteerTeamResource
from registry.resources import PersonResource, SurveyResource
from rehab.resources import RehabServiceResource
from sheets.resources import PortalResource
from subsidies.resources import GrantResource

RESOURCES: dict[str, type[PortalResource]] = {
    resource.import_name: resource
    for resource in (
        PersonResource,
        SurveyResource,
        GrantResource,
        RehabServiceResource,
        TrainingResource,
        EmploymentResource,
        GraduateResource,
        CareHomeResource,
        PlacementResource,
        AuxProjectResource,
        ApplicationResource,
        CaseResource,
        ConsultationResource,
        AidCaseResource,
        OrganisationResource,
        VolunteerTeamResource,
        EducationAidResource,
        HomeTeachingVisitResource,
    )
}
RESOURCE_NAMES = tuple(RESOURCES)
# The templates whose records export and import back unchanged (export_archive): the ten, and those
# of issue 15. Certificate
# applications are a case whose steps one row cannot carry: their template only takes the paper
# backlog in as 受理, so they are not archived through it.
ARCHIVED_RESOURCE_NAMES = tuple(name for name in RESOURCE_NAMES if name != "certificate_applications")


class UnknownResource(KeyError):
    pass


def get_resource_class(name: str) -> type[PortalResource]:
    try:
        return RESOURCES[name]
    except KeyError:
        raise UnknownResource(name) from None


def resource_choices() -> list[tuple[str, str]]:
    return [(name, resource.import_title) for name, resource in RESOURCES.items()]
