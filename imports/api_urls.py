from core.api import router_urls

app_name = "imports_api"

urlpatterns = router_urls()
