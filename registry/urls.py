from django.urls import path

from registry import views, views_communities, views_roster, views_workbench

app_name = "registry"

urlpatterns = [
    path("workbench/", views_workbench.workbench_page, name="workbench"),
    path("persons/", views.person_list, name="person_list"),
    path("persons/new/", views.person_create, name="person_create"),
    path("persons/<int:pk>/", views.person_detail, name="person_detail"),
    path("persons/<int:pk>/edit/", views.person_update, name="person_update"),
    path("persons/<int:pk>/status/", views.person_status, name="person_status"),
    path("persons/<int:person_pk>/surveys/", views.survey_section, name="survey_section"),
    path("persons/<int:person_pk>/surveys/new/", views.survey_create, name="survey_create"),
    path("surveys/<int:pk>/edit/", views.survey_update, name="survey_update"),
    path("communities/roster/", views_roster.community_roster, name="community_roster"),
    path("communities/", views_communities.community_manage, name="community_manage"),
    path("communities/<int:pk>/rename/", views_communities.community_rename, name="community_rename"),
    path("communities/<int:pk>/merge/", views_communities.community_merge, name="community_merge"),
]
