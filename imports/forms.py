from django import forms

from core.forms import StyledFormMixin
from imports.resources import resource_choices
from sheets import excel


class ImportUploadForm(StyledFormMixin, forms.Form):
    resource = forms.ChoiceField(label="模板", choices=())
    file = forms.FileField(
        label="Excel文件（.xlsx）", widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].choices = [("", "请选择要导入的模板"), *resource_choices()]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            excel.check_size(upload.size)
        except excel.BadFile as exc:
            raise forms.ValidationError(exc.message) from None
        return upload
