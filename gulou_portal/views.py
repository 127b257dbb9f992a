import logging

import redis
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.views import defaults
from django.views.decorators.cache import never_cache

from core.roles import Role, role_of, sees_person_data

logger = logging.getLogger(__name__)


def home(request):
    """Officials land on the dashboard; clerks, community workers and staff on their 工作台."""
    return redirect("registry:workbench" if sees_person_data(request.user) else "indicators:dashboard")


class LogoutView(auth_views.LogoutView):
    """Logging out says so on the login page it lands on."""

    def post(self, request, *args, **kwargs):
        was_logged_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_logged_in:
            # the session was flushed: the message goes into the fresh one
            messages.success(request, "您已安全退出")
        return response


@never_cache
def healthz(request):
    """Readiness for probes and operators (public, no personal data).

    200 when the database answers and Redis answers (if configured), 503 otherwise. The age of the last
    completed indicator run is reported, not judged: a stale nightly run is for monitoring to alert on,
    not a reason for a load balancer to take the portal out of service.
    """
    database = _database_status()
    redis_status = _redis_status()
    healthy = database == "ok" and redis_status in ("ok", "not_configured")
    return JsonResponse(
        {
            "status": "ok" if healthy else "error",
            "database": database,
            "redis": redis_status,
            "last_indicator_run_age_seconds": _last_indicator_run_age() if database == "ok" else None,
        },
        status=200 if healthy else 503,
    )


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:
        logger.warning("healthz: database unreachable: %s", error)
        return "error"
    return "ok"


def _redis_url() -> str:
    for url in (getattr(settings, "REDIS_URL", ""), getattr(settings, "CELERY_BROKER_URL", "")):
        if url and url.startswith(("redis://", "rediss://", "unix://")):
            return url
    return ""


def _redis_status() -> str:
    url = _redis_url()
    if not url:
        return "not_configured"
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        try:
            client.ping()
        finally:
            client.close()
    except Exception as error:
        logger.warning("healthz: Redis unreachable: %s", error)
        return "error"
    return "ok"


def _last_indicator_run_age() -> int | None:
    """Seconds since the last completed indicator run finished; None when there is none (yet)."""
    try:
        from indicators.selectors import last_completed_run
    except ImportError:
        return None
    try:
        run = last_completed_run()
    except Exception:
        logger.exception("healthz: cannot read the last indicator run")
        return None
    finished_at = getattr(run, "finished_at", None)
    if finished_at is None:
        return None
    return max(0, int((timezone.now() - finished_at).total_seconds()))


def page_not_found(request, exception):
    """handler404: JSON under /api/ (the schema documents a JSON 404), the Chinese page elsewhere,
    saying what most likely happened (Django's own messages, in English, are never shown)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "未找到。"}, status=404)
    response = render(request, "404.html", {"message": not_found_message(request, exception)}, status=404)
    response.portal_error_page = True
    return response


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def not_found_message(request, exception) -> str:
    """Why a page answers 404, in the words of the user's situation."""
    given = str(exception.args[0]) if exception is not None and getattr(exception, "args", None) else ""
    if given and _is_chinese(given):
        return given
    try:
        match = resolve(request.path)
    except Resolver404:
        return "您要访问的页面不存在，请检查网址是否正确。"
    user = getattr(request, "user", None)
    role = role_of(user)
    if role == Role.OFFICIAL:
        return "领导查看角色不含个人信息：此页面包含个人信息，请通过指标看板查看汇总数据。"
    if role in (Role.STREET_CLERK, Role.COMMUNITY_WORKER) and not sees_person_data(user):
        return "您的账号尚未分配街道或社区，暂不能查看人员信息，请联系区残联管理员。"
    if "person_pk" in match.kwargs or (match.url_name or "").startswith("person_"):
        return "该人员不属于您所在的街道（社区）或不存在。"
    if match.kwargs:
        return "该记录不属于您所在的街道（社区）或不存在。"
    return "您要访问的页面不存在，或不在您的权限范围内。"


def permission_denied(request, exception):
    """handler403: the Chinese page with the reason the code gave (every 403 of the portal says why)."""
    given = str(exception.args[0]) if exception is not None and getattr(exception, "args", None) else ""
    message = given if given and _is_chinese(given) else "您的角色无权访问此页面。"
    response = render(request, "403.html", {"exception": message}, status=403)
    response.portal_error_page = True
    return response


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: Django's page is in English; this one says what to do."""
    return render(
        request,
        "403.html",
        {"exception": "页面已过期或表单来源无法验证，请刷新页面后重新提交。", "title": "无法提交表单"},
        status=403,
    )


def bad_request(request, exception):
    return defaults.bad_request(request, exception, template_name="400.html")


def server_error(request):
    """handler500: a static Chinese page (no database, no context processors)."""
    return defaults.server_error(request, template_name="500.html")
