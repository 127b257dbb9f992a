"""The records two data-quality rules flag, kept ahead of the request by PostgreSQL (issue 10).

"Misdated rehab services" compares every service with its person, "overlapping grants" every grant with
its siblings: at a million persons each is a full pass over millions of rows, too slow for the page.
So triggers (migration 0002) keep the flagged ids in this table as the records change, person by
person: a write to services or grants, or a change of a person's certificate date or status,
recomputes the rule for the persons it touched, in the same statement. The page reads the flagged ids
from here and applies the rule's own queryset to them again, so what it lists is always what the rule
says of the rows as they are; the table only spares it the full pass. Without PostgreSQL (SQLite's
quick start) there are no triggers and the page reads the rules in full.
"""

from django.db import models

from core.constraints import unique
from core.models import ChineseNames


class Flag(models.Model):
    rule = models.CharField("规则", max_length=30)
    record_id = models.BigIntegerField("记录")
    person_id = models.BigIntegerField("人员")

    class Meta(ChineseNames):
        verbose_name = "数据质量标记"
        constraints = [unique("rule", "record_id", name="quality_flag_record")]
        indexes = [models.Index(fields=["person_id", "rule"], name="quality_flag_person")]

    def __str__(self) -> str:
        return f"{self.rule} {self.record_id}"
