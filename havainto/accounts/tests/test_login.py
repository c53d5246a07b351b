"""Logging in: brute-force protection that never locks out an office for good (SEC-06)."""

from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from havainto.conftest import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def attempt(client: Client, username: str, password: str, ip: str = "10.0.0.1") -> Any:
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_login_works_and_redirects_only_to_local_pages(reporter: Any) -> None:
    client = Client()
    response = client.post(
        LOGIN + "?next=https://evil.example/",
        {"username": "reporter", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert not response["Location"].startswith("https://evil.example")


def test_five_wrong_passwords_lock_the_username_from_that_address_for_a_while(
    reporter: Any, coordinator: Any
) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(4):
            assert attempt(Client(), "reporter", "wrong-password").status_code == 200
        # The fifth failure locks; then even the right password is refused for now.
        assert attempt(Client(), "reporter", "wrong-password").status_code == 429
        locked = attempt(Client(), "reporter", PASSWORD)
        assert locked.status_code == 429
        assert "15" in locked.content.decode()
        # Another user from the same address and the same user elsewhere still get in.
        assert attempt(Client(), "coordinator", PASSWORD).status_code == 302
        assert attempt(Client(), "reporter", PASSWORD, ip="10.0.0.2").status_code == 302
    with time_machine.travel(start + timezone.timedelta(minutes=16), tick=False):
        assert attempt(Client(), "reporter", PASSWORD).status_code == 302


def test_the_login_form_lets_password_managers_work(db: None) -> None:
    page = Client().get(LOGIN).content.decode()
    assert 'autocomplete="current-password"' in page
    assert 'autocomplete="username"' in page
    assert "onpaste" not in page
