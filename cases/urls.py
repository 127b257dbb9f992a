from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("new/", views.case_create, name="case_create"),
    path("overdue/", views.overdue_list, name="overdue_list"),
    path("due-soon/", views.due_soon_list, name="due_soon_list"),
    path("figures/", views.figures, name="figures"),
    path("deadline-rules/", views.deadline_rules, name="deadline_rules"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/edit/", views.case_update, name="case_update"),
    path("<int:pk>/close/", views.case_close, name="case_close"),
    path("<int:pk>/actions/", views.case_action, name="case_action"),
    path("<int:pk>/satisfaction/", views.case_satisfaction, name="case_satisfaction"),
]
