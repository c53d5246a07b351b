from django.urls import path

from havainto.coding import views

app_name = "coding"

urlpatterns = [
    path("o/<slug:slug>/inbox/", views.inbox, name="inbox"),
    path("o/<slug:slug>/inbox/views/", views.saved_view_create, name="view-create"),
    path(
        "o/<slug:slug>/inbox/views/<int:pk>/delete/",
        views.saved_view_delete,
        name="view-delete",
    ),
    path("o/<slug:slug>/reports/<int:pk>/", views.report_detail, name="report"),
    path("o/<slug:slug>/reports/<int:pk>/state/", views.change_state, name="report-state"),
    path("o/<slug:slug>/reports/<int:pk>/assign/", views.assign, name="report-assign"),
    path("o/<slug:slug>/reports/<int:pk>/themes/", views.set_themes, name="report-themes"),
    path("o/<slug:slug>/reports/<int:pk>/notes/", views.add_note, name="report-note"),
    path("o/<slug:slug>/reports/<int:pk>/answer/", views.send_message, name="report-answer"),
    path("o/<slug:slug>/workflow/", views.workflow, name="workflow"),
    path("o/<slug:slug>/workflow/add/", views.workflow_state_add, name="workflow-add"),
    path("o/<slug:slug>/workflow/<int:pk>/", views.workflow_state, name="workflow-state"),
    path("o/<slug:slug>/text-access/", views.text_access, name="text-access"),
    path("o/<slug:slug>/audit/", views.audit_log, name="audit"),
    path("o/<slug:slug>/audit/export.csv", views.audit_export, name="audit-export"),
]

# The theme codebook.
urlpatterns += [
    path("o/<slug:slug>/codebook/", views.codebook, name="codebook"),
    path("o/<slug:slug>/codebook/add/", views.theme_add, name="theme-add"),
    path("o/<slug:slug>/codebook/<int:pk>/", views.theme_history, name="theme-history"),
    path("o/<slug:slug>/codebook/<int:pk>/edit/", views.theme_edit, name="theme-edit"),
    path("o/<slug:slug>/codebook/<int:pk>/move/", views.theme_move, name="theme-move"),
    path("o/<slug:slug>/codebook/<int:pk>/order/", views.theme_order, name="theme-order"),
    path(
        "o/<slug:slug>/codebook/<int:pk>/visibility/",
        views.theme_visibility,
        name="theme-visibility",
    ),
    path("o/<slug:slug>/codebook/<int:pk>/merge/", views.theme_merge, name="theme-merge"),
]
