"""Import/export templates of 教育助学 (aid records) and 送教上门 (visits)."""

from __future__ import annotations

from education import services
from education.filters import EducationAidFilter, HomeTeachingVisitFilter
from education.models import AidKind, EducationAid, HomeTeachingVisit, Stage
from registry.resources import PersonRecordResource
from sheets.resources import PortalField
from sheets.widgets import ChoiceWidget, DateWidget, MoneyWidget, TextWidget


class EducationAidResource(PersonRecordResource):
    import_name = "education_aid"
    import_title = "教育助学"
    filterset_class = EducationAidFilter

    stage = PortalField("stage", "学段", ChoiceWidget(Stage), required=True, width=12)
    school = PortalField("school", "学校", TextWidget(max_length=100), width=24)
    kind = PortalField("kind", "资助类型", ChoiceWidget(AidKind), required=True, width=12)
    aid_date = PortalField("aid_date", "日期", DateWidget(), required=True, rule="日期，不晚于今天")
    amount = PortalField(
        "amount",
        "金额",
        MoneyWidget(rule="金额（元），不小于0，最多两位小数；送教上门可不填", negative=None),
        required_note="资助类型为助学补贴、奖励、其他时必填",
    )
    notes = PortalField("notes", "备注", TextWidget(max_length=200), width=24)

    class Meta:
        model = EducationAid
        import_id_fields = ("person", "kind", "aid_date")
        fields = ("person", "stage", "school", "kind", "aid_date", "amount", "notes")

    def check_rules(self, instance, previous) -> None:
        # As education_aid_create / education_aid_update: nothing dated after the person left.
        services.check_person_on_date(instance.person, instance.aid_date, field="aid_date")


class HomeTeachingVisitResource(PersonRecordResource):
    import_name = "home_teaching"
    import_title = "送教上门"
    filterset_class = HomeTeachingVisitFilter

    visit_date = PortalField("visit_date", "送教日期", DateWidget(), required=True, rule="日期，不晚于今天")
    teacher = PortalField("teacher", "送教教师", TextWidget(max_length=50), required=True)
    content = PortalField("content", "送教内容", TextWidget(max_length=200), width=30)

    class Meta:
        model = HomeTeachingVisit
        import_id_fields = ("person", "visit_date", "teacher")
        fields = ("person", "visit_date", "teacher", "content")

    def check_rules(self, instance, previous) -> None:
        services.check_person_on_date(instance.person, instance.visit_date, field="visit_date")
