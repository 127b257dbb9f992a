"""create_portal_user USERNAME --role ROLE [--street STREET] [--community COMMUNITY] [--password PASSWORD]

The contract is access.md's "Creating users from the command line"."""

from __future__ import annotations

import secrets
import string

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.models import Community, Street, UserProfile
from core.roles import Role

ROLE_NAMES = ", ".join(Role.values)


def generate_password(length: int = 16) -> str:
    """Letters, digits and a few symbols; always at least one of each class."""
    alphabet = string.ascii_letters + string.digits + "-_.@#%"
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(length))
        if (
            any(c.islower() for c in password)
            and any(c.isupper() for c in password)
            and any(c.isdigit() for c in password)
            and any(c in "-_.@#%" for c in password)
        ):
            return password


class Command(BaseCommand):
    help = (
        "创建或更新平台用户。角色：district_staff（区残联工作人员）、street_clerk（街道经办人，须指定 --street）、"
        "community_worker（社区专职委员，须指定 --street 和 --community）、official（领导查看）、"
        "admin（系统管理员，可进入后台）。不指定 --password 时生成强密码并只显示一次；"
        "再次运行会更新已有用户的角色、街道、社区和（如指定）密码。"
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="用户名")
        parser.add_argument("--role", required=True, help=f"角色：{ROLE_NAMES}")
        parser.add_argument("--street", help="街道名称（可带或不带“街道”），街道经办人和社区专职委员需要")
        parser.add_argument("--community", help="社区名称（须属于 --street 指定的街道），仅社区专职委员需要")
        parser.add_argument("--password", help="密码；不指定时自动生成")

    def handle(
        self,
        *args,
        username: str,
        role: str,
        street: str | None,
        community: str | None,
        password: str | None,
        **options,
    ):
        try:
            role_value = Role(role)
        except ValueError:
            raise CommandError(f"未知角色：{role}。可选角色：{ROLE_NAMES}") from None
        street_obj = self._street_for(role_value, street)
        community_obj = self._community_for(role_value, street_obj, community)

        User = get_user_model()
        username = username.strip()
        if not username:
            raise CommandError("用户名不能为空")
        user = User.objects.filter(username=username).first()
        created = user is None
        if created:
            user = User(username=username)
            try:
                user.full_clean(exclude=["password"])
            except ValidationError as exc:
                raise CommandError("用户名无效：" + "；".join(exc.messages)) from None

        generated = False
        if password is None and created:
            password = generate_password()
            generated = True
        if password is not None and not generated:
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise CommandError("密码不符合要求：" + "；".join(exc.messages)) from None

        with transaction.atomic():
            self._apply(user, role_value, street_obj, community_obj, password)

        verb = "已创建" if created else "已更新"
        where = f"，街道：{street_obj.name}" if street_obj else ""
        where += f"，社区：{community_obj.name}" if community_obj else ""
        self.stdout.write(self.style.SUCCESS(f"{verb}用户 {username}（{role_value.label}{where}）"))
        if generated:
            self.stdout.write(f"初始密码（只显示这一次，请妥善保存）：{password}")

    def _street_for(self, role: Role, street: str | None) -> Street | None:
        if role in (Role.STREET_CLERK, Role.COMMUNITY_WORKER):
            if not (street or "").strip():
                raise CommandError(f"{role.label}必须用 --street 指定所属街道")
            street_obj = Street.objects.by_name(street)
            if street_obj is None:
                names = "、".join(Street.objects.values_list("name", flat=True))
                raise CommandError(f"未找到街道：{street}。可选街道：{names}")
            return street_obj
        if street is not None:
            raise CommandError(
                "只有街道经办人（street_clerk）和社区专职委员（community_worker）可以指定 --street，"
                f"角色 {role.value} 不能指定街道"
            )
        return None

    def _community_for(self, role: Role, street: Street | None, community: str | None) -> Community | None:
        if role != Role.COMMUNITY_WORKER:
            if community is not None:
                raise CommandError(
                    f"只有社区专职委员（community_worker）可以指定 --community，角色 {role.value} 不能指定社区"
                )
            return None
        name = (community or "").strip()
        if not name:
            raise CommandError("社区专职委员必须用 --community 指定所属社区")
        found = Community.objects.filter(street=street, name__in=_community_names(name)).first()
        if found is None:
            elsewhere = (
                Community.objects.filter(name__in=_community_names(name)).select_related("street").first()
            )
            names = "、".join(Community.objects.filter(street=street).values_list("name", flat=True))
            choices = f"可选社区：{names}" if names else "该街道尚未建立社区（可在系统管理或人员导入中建立）"
            where = f"（{elsewhere.name}属于{elsewhere.street.name}）" if elsewhere else ""
            raise CommandError(f"{street.name}没有名为“{name}”的社区{where}。{choices}")
        return found

    def _apply(
        self, user, role: Role, street: Street | None, community: Community | None, password: str | None
    ) -> None:
        user.is_active = True
        user.is_staff = role == Role.ADMIN
        user.is_superuser = role == Role.ADMIN
        if password is not None:
            user.set_password(password)
        user.save()
        role_groups = Group.objects.filter(name__in=Role.labels)
        user.groups.remove(*role_groups)
        user.groups.add(Group.objects.get_or_create(name=role.label)[0])
        profile, _ = UserProfile.objects.get_or_create(user=user)
        if (profile.street_id, profile.community_id) != (
            street.pk if street else None,
            community.pk if community else None,
        ):
            profile.street = street
            profile.community = community
            profile.save()


def _community_names(name: str) -> list[str]:
    """A community by its full name or without 社区 (宁海路社区 or 宁海路)."""
    return [name, name.removesuffix("社区"), f"{name.removesuffix('社区')}社区"]
