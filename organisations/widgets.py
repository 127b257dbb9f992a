"""Widgets of the organisation templates: a street that must be given."""

from __future__ import annotations

from sheets import cleaning
from sheets.widgets import StreetWidget


class RequiredStreetWidget(StreetWidget):
    """A street that the record cannot do without, refused with the record's own message (the one
    the page's form and the API give) rather than the generic 必填 message. The bulk importer only
    parses filled cells: the resource's prepare_rows reports an empty one (OwnStreetResource)."""

    def __init__(self, missing: str) -> None:
        super().__init__()
        self.missing = missing

    def clean(self, value, row=None, **kwargs):
        if cleaning.is_empty(value):
            raise ValueError(self.missing)
        return super().clean(value, row, **kwargs)
