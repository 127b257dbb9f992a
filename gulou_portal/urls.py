from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from gulou_portal import views
from registry import views_token

admin.site.site_header = "鼓楼区残联服务平台管理"
admin.site.site_title = "鼓楼区残联服务平台"
admin.site.index_title = "系统管理"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path("accounts/token/", views_token.token_page, name="account_token"),
    path("api/auth/token/", views_token.TokenView.as_view(), name="api-token"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
for app in settings.DOMAIN_APPS:
    urlpatterns += [
        path(f"{app.replace('_', '-')}/", include(f"{app}.urls")),
        path(f"api/{app.replace('_', '-')}/", include(f"{app}.api_urls")),
    ]

# Data quality keeps its address under the register (bookmarks and the manual point there).
urlpatterns += [path("registry/data-quality/", include("quality.urls"))]

# The annual survey campaign has pages only (its survey answers are in the registry's survey API).
urlpatterns += [path("campaigns/", include("campaigns.urls"))]

handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error
