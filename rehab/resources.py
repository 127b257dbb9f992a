"""Import/export template of 康复服务 (rehabilitation services, devices, home modification)."""

from core.constraints import NEGATIVE_AMOUNT_MESSAGE
from registry.resources import PersonRecordResource
from rehab.filters import RehabServiceFilter
from rehab.models import RehabKind, RehabService
from sheets.resources import PortalField
from sheets.widgets import ChoiceWidget, DateWidget, MoneyWidget, TextWidget


class RehabServiceResource(PersonRecordResource):
    import_name = "rehab"
    import_title = "康复服务"
    filterset_class = RehabServiceFilter

    kind = PortalField("kind", "服务项目", ChoiceWidget(RehabKind), required=True, width=18)
    service_date = PortalField(
        "service_date", "服务日期", DateWidget(), required=True, rule="日期，不晚于今天"
    )
    provider = PortalField("provider", "服务机构", TextWidget(max_length=100), width=24)
    device_name = PortalField(
        "device_name",
        "辅具名称",
        TextWidget(max_length=50),
        required_note="服务项目为辅助器具适配时必填",
        rule="如 轮椅、助听器；服务项目为辅助器具适配时必填",
    )
    amount = PortalField("amount", "金额", MoneyWidget(negative=NEGATIVE_AMOUNT_MESSAGE))

    class Meta:
        model = RehabService
        import_id_fields = ("person", "kind", "service_date")
        fields = ("person", "kind", "service_date", "provider", "device_name", "amount")
