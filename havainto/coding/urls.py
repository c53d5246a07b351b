from django.urls import path

from havainto.coding import passage_views, views

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
    path(
        "o/<slug:slug>/reports/<int:pk>/phenomenon/",
        views.report_gather,
        name="report-gather",
    ),
    path("o/<slug:slug>/overview/", views.overview, name="overview"),
    path("o/<slug:slug>/digests/", views.digests, name="digests"),
    path("o/<slug:slug>/phenomena/", views.phenomenon_list, name="phenomena"),
    path("o/<slug:slug>/phenomena/new/", views.phenomenon_create, name="phenomenon-create"),
    path("o/<slug:slug>/phenomena/<int:pk>/", views.phenomenon_detail, name="phenomenon"),
    path("o/<slug:slug>/phenomena/<int:pk>/edit/", views.phenomenon_edit, name="phenomenon-edit"),
    path(
        "o/<slug:slug>/phenomena/<int:pk>/proposals/",
        views.proposal_add,
        name="phenomenon-proposal",
    ),
    path(
        "o/<slug:slug>/phenomena/<int:pk>/proposals/<int:proposal_pk>/",
        views.proposal_outcome,
        name="phenomenon-outcome",
    ),
    path("o/<slug:slug>/phenomena/<int:pk>/steps/", views.step_add, name="phenomenon-step"),
    path(
        "o/<slug:slug>/phenomena/<int:pk>/steps/<int:step_pk>/answer/",
        views.step_answer,
        name="phenomenon-answer",
    ),
    path(
        "o/<slug:slug>/phenomena/<int:pk>/merge/", views.phenomenon_merge, name="phenomenon-merge"
    ),
    path(
        "o/<slug:slug>/phenomena/<int:pk>/split/", views.phenomenon_split, name="phenomenon-split"
    ),
    path(
        "o/<slug:slug>/phenomena/<int:pk>/reports/<int:report_pk>/remove/",
        views.phenomenon_report_remove,
        name="phenomenon-report-remove",
    ),
    path("o/<slug:slug>/workflow/", views.workflow, name="workflow"),
    path("o/<slug:slug>/workflow/add/", views.workflow_state_add, name="workflow-add"),
    path("o/<slug:slug>/workflow/<int:pk>/", views.workflow_state, name="workflow-state"),
    path("o/<slug:slug>/text-access/", views.text_access, name="text-access"),
    path("o/<slug:slug>/audit/", views.audit_log, name="audit"),
    path("o/<slug:slug>/audit/export.csv", views.audit_export, name="audit-export"),
    # Passages of report texts: quotes, redaction, the redaction queue (passage_views.py).
    path("o/<slug:slug>/reports/<int:pk>/quotes/", passage_views.quote_add, name="quote-add"),
    path("o/<slug:slug>/reports/<int:pk>/redact/", passage_views.redact, name="report-redact"),
    path(
        "o/<slug:slug>/reports/<int:pk>/redactions/<int:redaction>/original/",
        passage_views.redaction_original,
        name="redaction-original",
    ),
    path("o/<slug:slug>/quotes/", passage_views.quote_list, name="quotes"),
    path("o/<slug:slug>/quotes/<int:pk>/remove/", passage_views.quote_remove, name="quote-remove"),
    path(
        "o/<slug:slug>/quotes/<int:pk>/approve/", passage_views.quote_approve, name="quote-approve"
    ),
    path(
        "o/<slug:slug>/quotes/<int:pk>/withdraw/",
        passage_views.quote_withdraw,
        name="quote-withdraw",
    ),
    path("o/<slug:slug>/redaction-queue/", passage_views.redaction_queue, name="redaction-queue"),
    path(
        "o/<slug:slug>/redaction-queue/<int:pk>/redact/",
        passage_views.candidate_redact,
        name="candidate-redact",
    ),
    path(
        "o/<slug:slug>/redaction-queue/<int:pk>/dismiss/",
        passage_views.candidate_dismiss,
        name="candidate-dismiss",
    ),
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
