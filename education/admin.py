"""Django admin of 教育助学 and 送教上门: scoped like every other door, writes through the services."""

from django.contrib import admin
from django.core.exceptions import ValidationError

from core.forms import PortalModelForm
from education import services
from education.models import EducationAid, HomeTeachingVisit
from education.resources import EducationAidResource, HomeTeachingVisitResource
from registry.admin import PersonRecordAdmin


class PersonOnDateForm(PortalModelForm):
    """The services' rule, shown on the admin form: nothing dated after the person left the register."""

    date_field = ""

    def clean(self):
        cleaned = super().clean()
        person = cleaned.get("person") or getattr(self.instance, "person", None)
        if person is not None and cleaned.get(self.date_field):
            try:
                services.check_person_on_date(person, cleaned[self.date_field], field=self.date_field)
            except ValidationError as exc:
                self.add_error(self.date_field, exc.error_dict[self.date_field])
        return cleaned


class EducationAidForm(PersonOnDateForm):
    date_field = "aid_date"


class HomeTeachingVisitForm(PersonOnDateForm):
    date_field = "visit_date"


@admin.register(EducationAid)
class EducationAidAdmin(PersonRecordAdmin):
    record_services = services.EDUCATION_AID_SERVICES
    form = EducationAidForm
    resource_classes = [EducationAidResource]
    list_display = ["person", "street", "stage", "kind", "aid_date", "school", "amount"]
    list_filter = ["kind", "stage", "person__street"]
    search_fields = ["person__name", "=person__id_number", "school"]
    date_hierarchy = "aid_date"
    readonly_fields = ["created_at", "updated_at"]
    service_fields = services.AID_FIELDS


@admin.register(HomeTeachingVisit)
class HomeTeachingVisitAdmin(PersonRecordAdmin):
    record_services = services.HOME_TEACHING_VISIT_SERVICES
    form = HomeTeachingVisitForm
    resource_classes = [HomeTeachingVisitResource]
    list_display = ["person", "street", "visit_date", "teacher", "content"]
    list_filter = ["person__street"]
    search_fields = ["person__name", "=person__id_number", "teacher"]
    date_hierarchy = "visit_date"
    readonly_fields = ["created_at", "updated_at"]
    service_fields = services.VISIT_FIELDS
