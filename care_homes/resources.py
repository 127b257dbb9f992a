"""Import/export templates of 托养机构, 托养服务 and 辅助性就业项目."""

import datetime as dt

from care_homes import services
from care_homes.filters import AuxProjectFilter, CareHomeFilter, PlacementFilter
from care_homes.models import AuxProject, CareHome, HomeLevel, Placement, PlacementMode, Rating
from care_homes.widgets import CareHomeWidget
from registry.resources import PersonRecordResource
from sheets.resources import PortalField, PortalResource, StreetRecordResource, period_fields
from sheets.widgets import (
    ChoiceWidget,
    DateWidget,
    IntegerWidget,
    TextWidget,
    YesNoWidget,
)


class CareHomeResource(StreetRecordResource):
    import_name = "care_homes"
    import_title = "托养机构"
    filterset_class = CareHomeFilter
    export_select_related = ("street",)

    name = PortalField("name", "机构名称", TextWidget(max_length=100), required=True, width=28)
    level = PortalField("level", "机构级别", ChoiceWidget(HomeLevel), required=True)
    is_disabled_home = PortalField("is_disabled_home", "残疾人之家", YesNoWidget())
    rating = PortalField("rating", "评级", ChoiceWidget(Rating), rule="1A、2A、3A、4A、5A，可空")
    opened_on = PortalField("opened_on", "启用日期", DateWidget(), required=True, width=12)
    closed_on = PortalField(
        "closed_on", "停用日期", DateWidget(), rule="日期，不早于启用日期；仍在运营则空白", width=12
    )

    class Meta:
        model = CareHome
        import_id_fields = ("name",)
        fields = ("name", "level", "street", "is_disabled_home", "rating", "opened_on", "closed_on")

    def after_rows(self, updated, *, acting_user, dry_run, warn) -> None:
        """A new or earlier 停用日期 ends what still runs at the home, as the page's update does."""
        for row, home, previous in updated:
            if home.closed_on is None or home.closed_on == previous["closed_on"]:
                continue
            if dry_run:
                placements, projects = services.records_running_after_closing(home)
            else:
                placements, projects = services.end_records_after_closing(
                    acting_user=acting_user, home=home, previous_closed_on=previous["closed_on"]
                )
            if placements or projects:
                verb = "将于" if dry_run else "已于"
                warn(
                    row,
                    "停用日期",
                    f"托养机构“{home.name}”停用：仍在进行的{placements}项托养服务、{projects}个辅助性就业项目"
                    f"{verb}{home.closed_on - dt.timedelta(days=1):%Y-%m-%d}结束",
                )


class PlacementResource(PersonRecordResource):
    import_name = "care_placements"
    import_title = "托养服务"
    filterset_class = PlacementFilter
    export_select_related = ("person", "home")

    home = PortalField("home", "托养机构", CareHomeWidget(), required=True, width=28)
    mode = PortalField("mode", "托养方式", ChoiceWidget(PlacementMode), required=True)
    start_date, end_date = period_fields()

    class Meta:
        model = Placement
        import_id_fields = ("person", "home", "start_date")
        fields = ("person", "home", "mode", "start_date", "end_date")

    def check_rules(self, instance, previous) -> None:
        # Home and start date are the key: an existing placement keeps them, as placement_update
        # checks only when they change.
        if previous is None:
            services.check_home_operating(instance.home, instance.start_date)


class AuxProjectResource(PortalResource):
    import_name = "aux_projects"
    import_title = "辅助性就业项目"
    scope_via = "home"
    filterset_class = AuxProjectFilter
    export_select_related = ("home",)

    home = PortalField("home", "托养机构", CareHomeWidget(), required=True, width=28)
    name = PortalField("name", "项目名称", TextWidget(max_length=100), required=True, width=24)
    start_date, end_date = period_fields()
    participants = PortalField("participants", "参与人数", IntegerWidget(minimum=0), rule="整数，不小于0")

    class Meta:
        model = AuxProject
        import_id_fields = ("home", "name")
        fields = ("home", "name", "start_date", "end_date", "participants")

    def check_rules(self, instance, previous) -> None:
        # As aux_project_create and aux_project_update: checked for a new project or a new start date.
        if previous is None or previous["start_date"] != instance.start_date:
            services.check_home_operating(instance.home, instance.start_date)
