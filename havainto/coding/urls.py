from django.urls import path

from havainto.coding.views import codebook, digest, handling, organisation, passages, phenomena

app_name = "coding"

urlpatterns = [
    path("o/<slug:slug>/inbox/", handling.inbox, name="inbox"),
    path("o/<slug:slug>/inbox/views/", handling.saved_view_create, name="view-create"),
    path(
        "o/<slug:slug>/inbox/views/<int:pk>/delete/",
        handling.saved_view_delete,
        name="view-delete",
    ),
    path("o/<slug:slug>/reports/<int:pk>/", handling.report_detail, name="report"),
    path("o/<slug:slug>/reports/<int:pk>/state/", handling.change_state, name="report-state"),
    path("o/<slug:slug>/reports/<int:pk>/assign/", handling.assign, name="report-assign"),
    path("o/<slug:slug>/reports/<int:pk>/themes/", handling.set_themes, name="report-themes"),
    path("o/<slug:slug>/reports/<int:pk>/notes/", handling.add_note, name="report-note"),
    path("o/<slug:slug>/reports/<int:pk>/answer/", handling.send_message, name="report-answer"),
    path(
        "o/<slug:slug>/reports/<int:pk>/phenomenon/",
        phenomena.report_gather,
        name="report-gather",
    ),
    path("o/<slug:slug>/overview/", digest.overview, name="overview"),
    path("o/<slug:slug>/digests/", digest.digests, name="digests"),
    path("o/<slug:slug>/phenomena/", phenomena.phenomenon_list, name="phenomena"),
    path("o/<slug:slug>/phenomena/new/", phenomena.phenomenon_create, name="phenomenon-create"),
    path("o/<slug:slug>/phenomena/<int:pk>/", phenomena.phenomenon_detail, name="phenomenon"),
    path(
        "o/<slug:slug>/phenomena/<int:pk>/edit/", phenomena.phenomenon_edit, name="phenomenon-edit"
    ),
    path(
        "o/<slug:slug>/phenomena/<int:pk>/proposals/",
        phenomena.proposal_add,
        name="phenomenon-proposal",
    ),
    path(
        "o/<slug:slug>/phenomena/<int:pk>/proposals/<int:proposal_pk>/",
        phenomena.proposal_outcome,
        name="phenomenon-outcome",
    ),
    path("o/<slug:slug>/phenomena/<int:pk>/steps/", phenomena.step_add, name="phenomenon-step"),
    path(
        "o/<slug:slug>/phenomena/<int:pk>/steps/<int:step_pk>/answer/",
        phenomena.step_answer,
        name="phenomenon-answer",
    ),
    path(
        "o/<slug:slug>/phenomena/<int:pk>/merge/",
        phenomena.phenomenon_merge,
        name="phenomenon-merge",
    ),
    path(
        "o/<slug:slug>/phenomena/<int:pk>/split/",
        phenomena.phenomenon_split,
        name="phenomenon-split",
    ),
    path(
        "o/<slug:slug>/phenomena/<int:pk>/reports/<int:report_pk>/remove/",
        phenomena.phenomenon_report_remove,
        name="phenomenon-report-remove",
    ),
    path("o/<slug:slug>/workflow/", organisation.workflow, name="workflow"),
    path("o/<slug:slug>/workflow/add/", organisation.workflow_state_add, name="workflow-add"),
    path("o/<slug:slug>/workflow/<int:pk>/", organisation.workflow_state, name="workflow-state"),
    path("o/<slug:slug>/text-access/", organisation.text_access, name="text-access"),
    path("o/<slug:slug>/audit/", organisation.audit_log, name="audit"),
    path("o/<slug:slug>/audit/export.csv", organisation.audit_export, name="audit-export"),
    # Passages of report texts: quotes, redaction, the redaction queue (views/passages.py).
    path("o/<slug:slug>/reports/<int:pk>/quotes/", passages.quote_add, name="quote-add"),
    path("o/<slug:slug>/reports/<int:pk>/redact/", passages.redact, name="report-redact"),
    path(
        "o/<slug:slug>/reports/<int:pk>/redactions/<int:redaction>/original/",
        passages.redaction_original,
        name="redaction-original",
    ),
    path("o/<slug:slug>/quotes/", passages.quote_list, name="quotes"),
    path("o/<slug:slug>/quotes/<int:pk>/remove/", passages.quote_remove, name="quote-remove"),
    path("o/<slug:slug>/quotes/<int:pk>/approve/", passages.quote_approve, name="quote-approve"),
    path(
        "o/<slug:slug>/quotes/<int:pk>/withdraw/",
        passages.quote_withdraw,
        name="quote-withdraw",
    ),
    path("o/<slug:slug>/redaction-queue/", passages.redaction_queue, name="redaction-queue"),
    path(
        "o/<slug:slug>/redaction-queue/<int:pk>/redact/",
        passages.candidate_redact,
        name="candidate-redact",
    ),
    path(
        "o/<slug:slug>/redaction-queue/<int:pk>/dismiss/",
        passages.candidate_dismiss,
        name="candidate-dismiss",
    ),
]

# The theme codebook.
urlpatterns += [
    path("o/<slug:slug>/codebook/", codebook.codebook, name="codebook"),
    path("o/<slug:slug>/codebook/add/", codebook.theme_add, name="theme-add"),
    path("o/<slug:slug>/codebook/<int:pk>/", codebook.theme_history, name="theme-history"),
    path("o/<slug:slug>/codebook/<int:pk>/edit/", codebook.theme_edit, name="theme-edit"),
    path("o/<slug:slug>/codebook/<int:pk>/move/", codebook.theme_move, name="theme-move"),
    path("o/<slug:slug>/codebook/<int:pk>/order/", codebook.theme_order, name="theme-order"),
    path(
        "o/<slug:slug>/codebook/<int:pk>/visibility/",
        codebook.theme_visibility,
        name="theme-visibility",
    ),
    path("o/<slug:slug>/codebook/<int:pk>/merge/", codebook.theme_merge, name="theme-merge"),
]
