app_name = "legal_aid"

urlpatterns: list = []
