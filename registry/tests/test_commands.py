import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from core.models import Community, Street
from core.periods import today
from core.roles import Role, community_of, role_of, street_of
from registry import selectors
from registry.models import Person, Survey

pytestmark = pytest.mark.django_db
User = get_user_model()


def _run(*args):
    out = io.StringIO()
    call_command("create_portal_user", *args, stdout=out)
    return out.getvalue()


def _fresh(username):
    user = User.objects.get(username=username)
    return User.objects.get(pk=user.pk)  # no cached role


class TestCreatePortalUser:
    def test_clerk_with_street_without_suffix_and_generated_password(self):
        output = _run("wang", "--role", "street_clerk", "--street", "宁海路")
        user = _fresh("wang")
        assert role_of(user) == Role.STREET_CLERK
        assert street_of(user).name == "宁海路街道"
        password = output.strip().splitlines()[-1].split("：")[-1]
        assert len(password) >= 16 and user.check_password(password)
        assert "只显示这一次" in output

    def test_given_password_is_used_and_not_printed(self):
        output = _run("li", "--role", "district_staff", "--password", "Gulou-Strong-2025")
        assert _fresh("li").check_password("Gulou-Strong-2025")
        assert "Gulou-Strong-2025" not in output

    def test_admin_gets_staff_and_superuser_flags(self):
        _run("it", "--role", "admin", "--password", "Gulou-Strong-2025")
        user = _fresh("it")
        assert user.is_staff and user.is_superuser and role_of(user) == Role.ADMIN

    def test_official_has_no_street_and_no_admin(self):
        _run("boss", "--role", "official")
        user = _fresh("boss")
        assert role_of(user) == Role.OFFICIAL and not user.is_staff and street_of(user) is None

    def test_rerun_updates_role_street_and_password(self):
        _run("zhao", "--role", "street_clerk", "--street", "宁海路街道", "--password", "Gulou-Strong-2025")
        output = _run("zhao", "--role", "street_clerk", "--street", "华侨路街道")
        user = _fresh("zhao")
        assert street_of(user).name == "华侨路街道"
        assert user.check_password("Gulou-Strong-2025")  # unchanged without --password
        assert "已更新" in output and "密码" not in output
        _run("zhao", "--role", "admin", "--password", "Another-Strong-2026")
        user = _fresh("zhao")
        assert role_of(user) == Role.ADMIN and user.check_password("Another-Strong-2026")
        assert list(user.groups.values_list("name", flat=True)) == ["系统管理员"]
        assert user.portal_profile.street is None
        _run("zhao", "--role", "official")
        user = _fresh("zhao")
        assert role_of(user) == Role.OFFICIAL and not user.is_superuser and not user.is_staff

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["x", "--role", "street_clerk"], "必须用 --street"),
            (["x", "--role", "street_clerk", "--street", "不存在"], "未找到街道"),
            (["x", "--role", "official", "--street", "宁海路"], "只有街道经办人"),
            (["x", "--role", "boss"], "未知角色"),
            (["x", "--role", "official", "--password", "123"], "密码不符合要求"),
            (["bad name!", "--role", "official"], "用户名无效"),
        ],
    )
    def test_errors_exit_1_with_chinese_message_and_create_nothing(self, args, message):
        with pytest.raises(CommandError, match=message) as exc:
            call_command("create_portal_user", *args)
        assert exc.value.returncode == 1
        assert not User.objects.filter(username=args[0]).exists()


@pytest.fixture
def ninghai_communities():
    ninghai = Street.objects.get(name="宁海路街道")
    huaqiao = Street.objects.get(name="华侨路街道")
    return {
        "宁海路社区": Community.objects.create(street=ninghai, name="宁海路社区"),
        "颐和路社区": Community.objects.create(street=ninghai, name="颐和路社区"),
        "华侨路社区": Community.objects.create(street=huaqiao, name="华侨路社区"),
    }


class TestCreateCommunityWorker:
    """access.md: --street and --community are required for community_worker, refused for others."""

    def test_community_worker_gets_role_street_and_community(self, ninghai_communities):
        output = _run(
            "zhou", "--role", "community_worker", "--street", "宁海路街道", "--community", "宁海路社区"
        )
        user = _fresh("zhou")
        assert role_of(user) == Role.COMMUNITY_WORKER
        assert street_of(user).name == "宁海路街道"
        assert community_of(user) == ninghai_communities["宁海路社区"]
        assert list(user.groups.values_list("name", flat=True)) == ["社区专职委员"]
        assert not user.is_staff and not user.is_superuser
        assert "已创建用户 zhou（社区专职委员，街道：宁海路街道，社区：宁海路社区）" in output
        assert "只显示这一次" in output

    def test_street_without_suffix_and_given_password(self, ninghai_communities):
        output = _run(
            "zhou",
            "--role",
            "community_worker",
            "--street",
            "宁海路",
            "--community",
            "颐和路社区",
            "--password",
            "Gulou-Strong-2025",
        )
        user = _fresh("zhou")
        assert community_of(user).name == "颐和路社区" and user.check_password("Gulou-Strong-2025")
        assert "Gulou-Strong-2025" not in output

    def test_rerun_moves_worker_to_another_community_and_keeps_password(self, ninghai_communities):
        _run("zhou", "--role", "community_worker", "--street", "宁海路街道", "--community", "宁海路社区",
             "--password", "Gulou-Strong-2025")  # fmt: skip
        output = _run(
            "zhou", "--role", "community_worker", "--street", "宁海路街道", "--community", "颐和路社区"
        )
        user = _fresh("zhou")
        assert community_of(user).name == "颐和路社区" and user.check_password("Gulou-Strong-2025")
        assert "已更新" in output and "密码" not in output

    def test_rerun_as_clerk_or_staff_clears_the_community(self, ninghai_communities):
        _run("zhou", "--role", "community_worker", "--street", "宁海路街道", "--community", "宁海路社区")
        _run("zhou", "--role", "street_clerk", "--street", "华侨路街道")
        user = _fresh("zhou")
        assert role_of(user) == Role.STREET_CLERK and street_of(user).name == "华侨路街道"
        assert user.portal_profile.community is None
        _run("zhou", "--role", "district_staff")
        user = _fresh("zhou")
        assert role_of(user) == Role.DISTRICT_STAFF
        assert (user.portal_profile.street, user.portal_profile.community) == (None, None)

    def test_rerun_of_clerk_as_community_worker_sets_the_community(self, ninghai_communities):
        _run("zhou", "--role", "street_clerk", "--street", "宁海路街道")
        _run("zhou", "--role", "community_worker", "--street", "宁海路街道", "--community", "宁海路社区")
        user = _fresh("zhou")
        assert role_of(user) == Role.COMMUNITY_WORKER and community_of(user).name == "宁海路社区"
        assert list(user.groups.values_list("name", flat=True)) == ["社区专职委员"]

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["x", "--role", "community_worker", "--community", "宁海路社区"], "社区专职委员必须用 --street"),
            (["x", "--role", "community_worker", "--street", "宁海路街道"], "社区专职委员必须用 --community"),
            (
                ["x", "--role", "community_worker", "--street", "不存在", "--community", "宁海路社区"],
                "未找到街道",
            ),
            (
                ["x", "--role", "community_worker", "--street", "宁海路街道", "--community", "不存在社区"],
                "宁海路街道没有名为“不存在社区”的社区。可选社区：",
            ),
            # a community of another street
            (
                ["x", "--role", "community_worker", "--street", "宁海路街道", "--community", "华侨路社区"],
                "宁海路街道没有名为“华侨路社区”的社区（华侨路社区属于华侨路街道）",
            ),
            (
                ["x", "--role", "street_clerk", "--street", "宁海路街道", "--community", "宁海路社区"],
                "只有社区专职委员",
            ),
            (["x", "--role", "district_staff", "--community", "宁海路社区"], "只有社区专职委员"),
            (["x", "--role", "official", "--community", "宁海路社区"], "只有社区专职委员"),
            (["x", "--role", "admin", "--community", "宁海路社区"], "只有社区专职委员"),
            (["x", "--role", "admin", "--street", "宁海路街道"], "只有街道经办人"),
            (["x", "--role", "district_staff", "--street", "宁海路街道"], "只有街道经办人"),
        ],
    )
    def test_community_errors_exit_1_with_chinese_message_and_create_nothing(
        self, ninghai_communities, args, message
    ):
        with pytest.raises(CommandError, match=message) as exc:
            call_command("create_portal_user", *args)
        assert exc.value.returncode == 1
        assert not User.objects.filter(username=args[0]).exists()

    def test_refused_rerun_leaves_the_existing_user_unchanged(self, ninghai_communities):
        _run("zhou", "--role", "community_worker", "--street", "宁海路街道", "--community", "宁海路社区")
        with pytest.raises(CommandError):
            call_command("create_portal_user", "zhou", "--role", "community_worker", "--street", "华侨路街道",
                         "--community", "宁海路社区")  # fmt: skip
        assert community_of(_fresh("zhou")).name == "宁海路社区"

    def test_street_without_communities_says_how_to_create_one(self):
        with pytest.raises(CommandError, match="尚未建立社区"):
            call_command("create_portal_user", "x", "--role", "community_worker", "--street", "小市街道",
                         "--community", "小市社区")  # fmt: skip

    def test_exit_status_is_1_from_the_command_line(self, ninghai_communities):
        from django.core.management import ManagementUtility

        utility = ManagementUtility(
            ["manage.py", "create_portal_user", "x", "--role", "official", "--community", "a"]
        )
        with pytest.raises(SystemExit) as exc:
            utility.execute()
        assert exc.value.code == 1


class TestGenerateDemoData:
    def _generate(self, *extra):
        out = io.StringIO()
        call_command("generate_demo_data", "--persons", "150", "--seed", "3", *extra, stdout=out, stderr=out)
        return out.getvalue()

    def test_small_run_makes_valid_persons_surveys_and_demo_users(self):
        output = self._generate()
        assert Person.objects.count() == 150
        assert Survey.objects.exists() and Community.objects.filter(name="宁海路社区").exists()
        for person in Person.objects.all():
            person.full_clean(exclude=["sex", "birth_date"])  # valid ID numbers, dates, phones
        assert {u.username for u in User.objects.filter(username__startswith="demo_")} == {
            "demo_staff",
            "demo_clerk",
            "demo_worker",
            "demo_official",
            "demo_admin",
        }
        assert street_of(_fresh("demo_clerk")).name == "宁海路街道"
        assert community_of(_fresh("demo_worker")).name == "宁海路社区"
        # every community has a 专职委员 in post
        flagged = selectors.community_roster_flagged(user=_fresh("demo_staff"), on=today())
        assert not [row for row in flagged if row.flag == "none"]
        assert "持证残疾人 150 名" in output

    def test_same_seed_gives_same_id_numbers(self):
        self._generate()
        first = list(Person.objects.order_by("pk").values_list("id_number", "name", "issued_on"))
        first_surveys = Survey.objects.count()
        self._generate("--flush")
        assert list(Person.objects.order_by("pk").values_list("id_number", "name", "issued_on")) == first
        assert Survey.objects.count() == first_surveys

    def test_refuses_politely_when_persons_exist(self):
        self._generate()
        output = self._generate()
        assert "已有 150 名持证残疾人" in output and "--flush" in output
        assert Person.objects.count() == 150

    def test_demo_data_covers_the_current_year(self):
        self._generate()
        assert Survey.objects.filter(year=2026).exists()

    def test_surveys_only_for_persons_in_the_registry_that_year(self):
        self._generate()
        for survey in Survey.objects.select_related("person"):
            assert survey.person.issued_on.year <= survey.year
            assert 2019 <= survey.year <= today().year  # through the current year (issues 12 and 14)
