"""Response headers that Django's own settings do not cover."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        # Pages for logged-in users and every form page may hold typed report text:
        # never let a shared computer's browser cache keep them.
        if request.user.is_authenticated or request.method == "POST":
            response["Cache-Control"] = "no-store"
        return response
