from django.contrib.auth.views import redirect_to_login

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
