from django.conf import settings
from django.http import HttpRequest

from havainto.accounts.access import organisations_for


def site(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    return {
        "languages": settings.LANGUAGES,
        "my_organisations": organisations_for(user) if user is not None else [],
    }
