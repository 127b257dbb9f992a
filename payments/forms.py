from django import forms

from core.forms import MonthField, StyledFormMixin
from payments.models import Standard


class StandardForm(StyledFormMixin, forms.ModelForm):
    effective_month = MonthField(
        label="起始月份",
        input_formats=["%Y-%m", "%Y-%m-%d"],
        help_text="该标准从这个月起执行，直到下一个标准的起始月份",
    )

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
