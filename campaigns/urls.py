from django.urls import path

from campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>/", views.progress, name="progress"),
    # ?year=Y (default: the latest campaign): a community worker's list is one tap from the menu.
    path("entries/", views.entry_list, name="entry_list"),
    path("<int:year>/close/", views.close, name="close"),
    path("<int:year>/sync/", views.sync, name="sync"),
    # ?year=Y (default: this year).
    path("gaps/work/", views.gap_list, {"kind": "work"}, name="gap_work"),
    path("gaps/children/", views.gap_list, {"kind": "children"}, name="gap_children"),
    path("entries/<int:pk>/visit/", views.visit, name="visit"),
    path("entries/<int:pk>/unreachable/", views.unreachable, name="unreachable"),
]
