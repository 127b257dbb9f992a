"""The columns that place a person in an exported list (the gap lists' xlsx): street, community,
disability and phone, with the cells of one person for them."""

from __future__ import annotations

from sheets import xlsx

PLACE_COLUMNS = [
    xlsx.Column("所属街道"),
    xlsx.Column("所属社区"),
    xlsx.Column("残疾类别", width=10),
    xlsx.Column("残疾等级", width=10),
    xlsx.Column("联系电话", width=16, number_format=xlsx.TEXT),
]


def place_cells(person) -> list:
    """The person's cells under PLACE_COLUMNS (select_related street and community)."""
    return [
        person.street.name,
        person.community.name if person.community_id else "",
        person.get_category_display(),
        person.get_grade_display(),
        person.phone,
    ]
