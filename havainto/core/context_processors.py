from django.conf import settings
from django.http import HttpRequest

from havainto.accounts.access import has_role, organisations_for
from havainto.accounts.models import Role


def site(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    organisations = organisations_for(user) if user is not None else []
    return {
        "languages": settings.LANGUAGES,
        "my_organisations": organisations,
        # For the "Settings" link; has_role reads the roles cached on the user.
        "admin_organisations": [o for o in organisations if has_role(user, o, [Role.ADMIN])],
        # For the "Inbox" link: those who handle reports.
        "workspace_organisations": [
            o for o in organisations if has_role(user, o, [Role.HANDLER, Role.COORDINATOR])
        ],
    }
