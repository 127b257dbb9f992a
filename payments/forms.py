from django import forms

from core.forms import StyledFormMixin
from payments.models import Standard


class MonthField(forms.DateField):
    """A month typed as 2025-03 (the browser's month picker) and stored as its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]
    # (Django's own "Enter a valid date." reads 日期格式错误，应为 2023-05-06: a day, not a month)
    default_error_messages = {"invalid": "请输入月份，例如 2025-03"}

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace(day=1) if value else value


class StandardForm(StyledFormMixin, forms.ModelForm):
    effective_month = MonthField(label="起始月份", help_text="该标准从这个月起执行，直到下一个标准的起始月份")

    class Meta:
        model = Standard
        fields = ["kind", "monthly_amount", "effective_month", "note"]
        widgets = {"monthly_amount": forms.NumberInput(attrs={"step": "0.01", "min": "0"})}


class ReturnForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label="退回原因", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class ReturnFileForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label="银行回盘文件（.xlsx）", help_text="第1行为列名：公民身份号码、项目、月份（YYYY-MM）、原因"
    )


class RecoveredForm(StyledFormMixin, forms.Form):
    recovered_on = forms.DateField(label="追回日期", widget=forms.DateInput(attrs={"type": "date"}))
    recovered_amount = forms.DecimalField(
        label="追回金额（元）", max_digits=10, decimal_places=2, min_value=0
    )
