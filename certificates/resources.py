"""Import-export template of 残疾人证申请: brings the paper backlog in as applications taken in
(受理) on their date; the later steps are recorded on the pages. The rules are the service's:
`services.validate_application` runs for each row (the ID number, the kind an ID number may apply
for, one open application per ID number), and rows are written through `application_receive`, so
the page, the API and the import refuse the same record with the same message."""

from django.core.exceptions import ValidationError

from certificates import services
from certificates.filters import ApplicationFilter
from certificates.models import Application, ApplicationKind, KindReason
from core.models import Community
from sheets.resources import PortalField, StreetRecordResource
from sheets.widgets import ChoiceWidget, DateWidget, IdNumberWidget, TextWidget

ALREADY_IMPORTED = "该申请已存在（公民身份号码、受理日期相同），导入不能修改已受理的申请"
NEEDS_USER = "办证申请须以经办人身份导入（命令行请使用 --user），受理人即导入的用户"
DUPLICATE_OPEN = "该身份证号码已有正在办理的申请"


class ApplicationResource(StreetRecordResource):
    import_name = "certificate_applications"
    import_title = "残疾人证申请"
    filterset_class = ApplicationFilter
    export_select_related = ("street", "community")
    # an existing application is an error (ALREADY_IMPORTED), unchanged or not
    skip_unchanged_rows = False

    name = PortalField("name", "申请人姓名", TextWidget(max_length=50), required=True)
    id_number = PortalField("id_number", "公民身份号码", IdNumberWidget(), required=True, width=22)
    kind = PortalField("kind", "申请类型", ChoiceWidget(ApplicationKind), required=True)
    reason = PortalField(
        "reason",
        "具体原因",
        ChoiceWidget(KindReason),
        required_note="换领、补领、注销必填",
        rule="换领：有效期满、类别或等级变更；补领：遗失、损毁；注销：死亡、迁出、其他",
    )
    received_on = PortalField("received_on", "受理日期", DateWidget(), required=True, rule="日期，不晚于今天")
    community = PortalField(
        "community", "所属社区", TextWidget(max_length=50), rule="所属街道已登记的社区名称"
    )
    phone = PortalField("phone", "联系电话", TextWidget(max_length=20))
    address = PortalField("address", "居住地址", TextWidget(max_length=200), width=30)

    class Meta:
        model = Application
        import_id_fields = ("id_number", "received_on")
        fields = (
            "name",
            "id_number",
            "kind",
            "reason",
            "received_on",
            "street",
            "community",
            "phone",
            "address",
        )

    def prepare_rows(self, rows, context) -> None:
        """所属社区 is the name of a community already registered under the row's street."""
        if context.user is None:
            for row in rows:
                context.error(row, None, NEEDS_USER)
            return
        communities = {(c.street_id, c.name): c for c in Community.objects.all()}
        column = self.column_of("community")
        open_seen: dict[str, int] = context.cache.setdefault("certificate_open_ids", {})
        for row in rows:
            values = row.values
            name = values.get("community")
            street = values.get("street")
            if name and street is not None:
                community = communities.get((street.pk, name))
                if community is None:
                    context.error(row, column, f"{street.name}没有名为“{name}”的社区")
                values["community"] = community
            else:
                values["community"] = None
            # one open application per ID number, within the file too
            first = open_seen.get(values.get("id_number"))
            if first is not None:
                context.error(row, self.column_of("id_number"), f"{DUPLICATE_OPEN}（与第{first}行相同）")
            else:
                open_seen[values.get("id_number")] = row.number

    def check_rules(self, instance, previous) -> None:
        if previous is not None:
            raise ValidationError({"received_on": ALREADY_IMPORTED})
        services.validate_application(instance)

    def write(self, creates, updates, fields, context) -> bool:
        for instance in creates:
            self._receive(instance, context)
        return True

    def _receive(self, instance, context) -> None:
        try:
            services.application_receive(
                acting_user=context.user,
                name=instance.name,
                id_number=instance.id_number,
                kind=instance.kind,
                reason=instance.reason,
                street=instance.street,
                community=instance.community,
                phone=instance.phone,
                address=instance.address,
                received_on=instance.received_on,
            )
        except ValidationError as exc:  # rolled back with the whole file
            context.error(None, None, f"{instance.name}：{'；'.join(exc.messages)}")
