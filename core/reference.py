"""Reference data every installation has: the 13 streets of Gulou district and the role groups."""

STREETS = [
    ("宁海路街道", "宁海路", "320106001"),
    ("华侨路街道", "华侨路", "320106002"),
    ("湖南路街道", "湖南路", "320106003"),
    ("中央门街道", "中央门", "320106004"),
    ("挹江门街道", "挹江门", "320106005"),
    ("江东街道", "江东", "320106006"),
    ("凤凰街道", "凤凰", "320106007"),
    ("阅江楼街道", "阅江楼", "320106008"),
    ("热河南路街道", "热河南路", "320106009"),
    ("幕府山街道", "幕府山", "320106010"),
    ("建宁路街道", "建宁路", "320106011"),
    ("宝塔桥街道", "宝塔桥", "320106012"),
    ("小市街道", "小市", "320106013"),
]
ROLE_GROUPS = ["区残联工作人员", "街道经办人", "社区专职委员", "领导查看", "系统管理员"]


def ensure_reference_data(street_model, group_model) -> None:
    """Idempotent; takes the models so that migrations can pass their historical ones."""
    if street_model.objects.count() < len(STREETS):
        for order, (name, short_name, code) in enumerate(STREETS, start=1):
            street_model.objects.update_or_create(
                name=name, defaults={"short_name": short_name, "code": code, "order": order}
            )
    if group_model.objects.filter(name__in=ROLE_GROUPS).count() < len(ROLE_GROUPS):
        for name in ROLE_GROUPS:
            group_model.objects.get_or_create(name=name)
