from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("havainto.core.urls")),
    path("", include("havainto.reports.urls")),
    path("", include("havainto.publishing.urls")),
    path("", include("havainto.accounts.settings_urls")),
    path("", include("havainto.coding.urls")),
    path("", include("havainto.analysis.urls")),
    path("accounts/", include("havainto.accounts.urls")),
    path("api/v1/", include("havainto.api.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("django-admin/", admin.site.urls),
]

handler400 = "havainto.core.views.bad_request"
handler403 = "havainto.core.views.permission_denied"
handler404 = "havainto.core.views.page_not_found"
handler500 = "havainto.core.views.server_error"
