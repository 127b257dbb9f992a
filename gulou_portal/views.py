from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache

from registry.roles import sees_person_data


def home(request):
    """Officials land on the dashboard; clerks and staff on the person register."""
    targets = (
        ["registry:person_list", "indicators:dashboard"]
        if sees_person_data(request.user)
        else ["indicators:dashboard"]
    )
    for name in targets:
        try:
            return redirect(reverse(name))
        except NoReverseMatch:
            continue
    return render(request, "home.html")


@never_cache
def healthz(request):
    """Liveness and readiness: the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        status, code = "ok", 200
    except Exception:  # pragma: no cover - reported, not raised
        status, code = "error", 503
    return JsonResponse({"status": status, "database": status}, status=code)
