from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.utils.cache import patch_cache_control

from core.roles import COMMUNITY_WORKER_FORBIDDEN_MESSAGE, may_use_domain

# Paths anybody may open: the login page, the health check and static files.
PUBLIC_PREFIXES = ("/accounts/login/", "/healthz", "/static/", "/favicon.ico")


class LoginRequiredEverywhereMiddleware:
    """Login is required everywhere except the login page and the health check (access.md).

    The API answers 401/403 itself through DRF's authentication, so it is let through here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if request.user.is_authenticated or path.startswith(PUBLIC_PREFIXES) or path.startswith("/api/"):
            return self.get_response(request)
        return redirect_to_login(request.get_full_path())


class NoStoreMiddleware:
    """No page, download or API answer of the portal is kept by a browser or proxy cache.

    Lists, person pages, gap lists, exports and API answers carry person data: `Cache-Control:
    no-store, private` (and `Pragma: no-cache` for HTTP/1.0 caches) on every answer the portal
    makes, so a new page cannot forget it. Static files are served by WhiteNoise before this
    middleware runs and keep their long-lived caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, no_store=True, private=True)
        response.headers.setdefault("Pragma", "no-cache")
        return response


class CommunityWorkerDomainMiddleware:
    """A community worker's pages of a closed domain (grants, care homes, imports, payment rolls) answer
    403 with a Chinese message (access.md), the API's views a JSON 403. PersonDataPermission asks the same
    `may_use_domain`; the querysets are closed as well (`community_field = None` in for_user)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = getattr(request, "resolver_match", None)
        if match is None or may_use_domain(request.user, match.namespace, match.view_name):
            return None
        if request.path_info.startswith("/api/"):
            # every API view of a closed domain, aggregates included, answers as DRF would
            return JsonResponse({"detail": COMMUNITY_WORKER_FORBIDDEN_MESSAGE}, status=403)
        raise PermissionDenied(COMMUNITY_WORKER_FORBIDDEN_MESSAGE)
