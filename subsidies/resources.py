"""Import/export template of 补贴与救助 (grants)."""

from core.constraints import NEGATIVE_AMOUNT_MESSAGE
from registry.resources import PersonRecordResource
from sheets.resources import PortalField
from sheets.widgets import ChoiceWidget, MoneyWidget, MonthWidget
from subsidies.filters import GrantFilter
from subsidies.models import Grant, GrantKind


class GrantResource(PersonRecordResource):
    import_name = "subsidies"
    import_title = "补贴与救助"
    filterset_class = GrantFilter

    kind = PortalField("kind", "项目", ChoiceWidget(GrantKind), required=True, width=22)
    start_month = PortalField("start_month", "开始月份", MonthWidget(), required=True)
    end_month = PortalField(
        "end_month",
        "结束月份",
        MonthWidget(),
        rule="月份，不早于开始月份；空白表示仍在发放（临时救助为开始月份）",
    )
    monthly_amount = PortalField(
        "monthly_amount",
        "月标准",
        MoneyWidget(negative=NEGATIVE_AMOUNT_MESSAGE),
        rule="元/月，不小于0，最多两位小数；临时救助填一次性金额",
    )

    class Meta:
        model = Grant
        import_id_fields = ("person", "kind", "start_month")
        fields = ("person", "kind", "start_month", "end_month", "monthly_amount")
