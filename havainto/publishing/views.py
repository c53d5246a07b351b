from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from havainto.accounts.models import Organisation
from havainto.publishing.models import OrganisationPage


@require_GET
def organisation_page(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    page = OrganisationPage.objects.filter(organisation=organisation, kind=kind).first()
    return render(
        request,
        f"publishing/{kind}.html",
        {"organisation": organisation, "page": page},
    )


@require_GET
def site_page(request: HttpRequest, kind: str) -> HttpResponse:
    """The service-wide statement, linking each organisation's own page."""
    return render(
        request,
        f"publishing/{kind}.html",
        {"organisation": None, "page": None, "organisations": Organisation.objects.all()},
    )
