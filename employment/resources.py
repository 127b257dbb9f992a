"""Import/export templates of 职业技能培训, 就业登记 and 高校残疾人毕业生."""

from core.periods import today
from employment.filters import EmploymentFilter, GraduateFilter, TrainingFilter
from employment.models import Degree, Employment, EmploymentForm, Graduate, Training, TrainingKind
from registry.resources import PersonRecordResource
from sheets.resources import PortalField, period_fields
from sheets.widgets import ChoiceWidget, TextWidget, YearWidget, YesNoWidget


class TrainingResource(PersonRecordResource):
    import_name = "training"
    import_title = "职业技能培训"
    filterset_class = TrainingFilter

    name = PortalField("name", "培训项目", TextWidget(max_length=100), required=True, width=24)
    kind = PortalField("kind", "培训类型", ChoiceWidget(TrainingKind), required=True)
    start_date, end_date = period_fields()
    completed = PortalField("completed", "是否结业", YesNoWidget())

    class Meta:
        model = Training
        import_id_fields = ("person", "name", "start_date")
        fields = ("person", "name", "kind", "start_date", "end_date", "completed")


class EmploymentResource(PersonRecordResource):
    import_name = "employment"
    import_title = "就业登记"
    filterset_class = EmploymentFilter

    form = PortalField("form", "就业形式", ChoiceWidget(EmploymentForm), required=True)
    employer = PortalField("employer", "用人单位", TextWidget(max_length=100), width=24)
    start_date, end_date = period_fields()

    class Meta:
        model = Employment
        import_id_fields = ("person", "form", "start_date")
        fields = ("person", "form", "employer", "start_date", "end_date")


class GraduateResource(PersonRecordResource):
    import_name = "graduates"
    import_title = "高校残疾人毕业生"
    filterset_class = GraduateFilter

    graduation_year = PortalField(
        "graduation_year",
        "毕业年份",
        YearWidget(1950, lambda: today().year),
        required=True,
        rule="四位年份，1950年至今年",
    )
    school = PortalField("school", "毕业院校", TextWidget(max_length=100), width=24)
    degree = PortalField("degree", "学历", ChoiceWidget(Degree))

    class Meta:
        model = Graduate
        import_id_fields = ("person", "graduation_year")
        fields = ("person", "graduation_year", "school", "degree")
