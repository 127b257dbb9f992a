"""Import/export templates of 助残社会组织 and 助残志愿者队伍 (the paper backlog).

A row without a street is refused with the record's own message, as on the page, the API and the
admin: the street column is marked 必填 but left to the resource (`RequiredStreetWidget` on the
admin's row-by-row path, `prepare_rows` on the bulk importer's), and check_rules calls the very
functions the services call.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist

from organisations import services
from organisations.filters import OrganisationFilter, VolunteerTeamFilter
from organisations.models import (
    MEMBERS_NEGATIVE,
    ORGANISATION_STREET_REQUIRED,
    TEAM_STREET_REQUIRED,
    Organisation,
    OrganisationKind,
    VolunteerTeam,
)
from organisations.widgets import RequiredStreetWidget
from sheets.resources import PortalField, StreetRecordResource
from sheets.widgets import ChoiceWidget, DateWidget, IntegerWidget, TextWidget, YesNoWidget

STREET_COLUMN = "所属街道"


def _street_field(message: str) -> PortalField:
    return PortalField(
        "street",
        STREET_COLUMN,
        RequiredStreetWidget(message),
        required_note="必填",
    )


class OwnStreetResource(StreetRecordResource):
    """A record with its own street that it cannot do without (`street_missing` says so)."""

    export_select_related = ("street",)
    street_missing = ""

    def prepare_rows(self, rows, context) -> None:
        # The bulk importer: an empty street cell gets the record's message, not the generic one.
        for row in rows:
            if row.values.get("street") is None and STREET_COLUMN not in row.bad:
                context.error(row, STREET_COLUMN, self.street_missing)

    @classmethod
    def street_id_of(cls, instance):
        # The admin's path: a record without a street has no scope; its cell's own error stands.
        if instance.street_id is None:
            raise ObjectDoesNotExist(cls.street_missing)
        return instance.street_id

    def check_rules(self, instance, previous) -> None:
        services.check_owner_rules(instance)

    def after_rows(self, updated, *, acting_user, dry_run, warn) -> None:
        """A record moved to another street takes its activities along, as the services do."""
        if dry_run:
            return
        for _row, record, previous in updated:
            if record.street_id != previous["street_id"]:
                services.sync_activity_streets(record)


class OrganisationResource(OwnStreetResource):
    import_name = "organisations"
    import_title = "助残社会组织"
    filterset_class = OrganisationFilter
    street_missing = ORGANISATION_STREET_REQUIRED

    name = PortalField("name", "组织名称", TextWidget(max_length=100), required=True, width=30)
    kind = PortalField("kind", "组织类型", ChoiceWidget(OrganisationKind), required=True)
    street = _street_field(ORGANISATION_STREET_REQUIRED)
    registered_on = PortalField("registered_on", "登记日期", DateWidget(), required=True, width=12)
    contact_person = PortalField("contact_person", "联系人", TextWidget(max_length=50))
    contact_phone = PortalField("contact_phone", "联系电话", TextWidget(max_length=30))
    is_demonstration = PortalField("is_demonstration", "示范性", YesNoWidget())
    dissolved_on = PortalField(
        "dissolved_on", "注销日期", DateWidget(), rule="日期，不早于登记日期；仍在运作则空白", width=12
    )

    class Meta:
        model = Organisation
        import_id_fields = ("name",)
        fields = services.ORGANISATION_FIELDS


class VolunteerTeamResource(OwnStreetResource):
    import_name = "volunteer_teams"
    import_title = "助残志愿者队伍"
    filterset_class = VolunteerTeamFilter
    street_missing = TEAM_STREET_REQUIRED

    name = PortalField("name", "队伍名称", TextWidget(max_length=100), required=True, width=30)
    street = _street_field(TEAM_STREET_REQUIRED)
    members = PortalField(
        "members", "队员人数", IntegerWidget(minimum=0, negative=MEMBERS_NEGATIVE), rule="整数，不小于0"
    )
    leader = PortalField("leader", "负责人", TextWidget(max_length=50))
    leader_phone = PortalField("leader_phone", "联系电话", TextWidget(max_length=30))
    founded_on = PortalField("founded_on", "成立日期", DateWidget(), required=True, width=12)
    dissolved_on = PortalField(
        "dissolved_on", "解散日期", DateWidget(), rule="日期，不早于成立日期；仍在开展活动则空白", width=12
    )

    class Meta:
        model = VolunteerTeam
        import_id_fields = ("name",)
        fields = services.TEAM_FIELDS
