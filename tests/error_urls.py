"""The project's URLs plus one view that fails: for the 500 page's test only."""

from django.urls import path

from gulou_portal.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [*urlpatterns, path("test-only/boom/", _boom)]
