app_name = "certificates_api"
urlpatterns = []
