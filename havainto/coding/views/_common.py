"""What the view modules share: the workspace menu flags and the POST data of GET/POST views."""

from typing import Any

from django.http import HttpRequest

from havainto.coding.access import workspace_nav


def _nav(roles: set[str]) -> dict[str, bool]:
    return workspace_nav(roles)


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None
