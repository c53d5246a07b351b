# ruff: noqa: T201, S603
"""Latency of the handling inbox's first page with filters, through gunicorn, beside /healthz.

Needs a database that already holds many reports (e.g. 1,000,000 made with
`havainto generate_reports --organisation varha --count 1000000` on PostgreSQL):

    .venv/bin/python scripts/bench_inbox.py --database-url postgres://postgres@127.0.0.1:5432/hv_bench

Only 127.0.0.1 is contacted; the server is stopped by its own pid at the end.
"""

import argparse
import http.client
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
USERNAME = "bench-coordinator"
PASSWORD = "bench-" + secrets.token_hex(8)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare_user(env: dict[str, str], slug: str) -> None:
    code = (
        "import django; django.setup()\n"
        "from django.contrib.auth import get_user_model\n"
        "from havainto.accounts.models import Membership, Organisation, Role\n"
        f"org = Organisation.objects.get(slug={slug!r})\n"
        f"u, _ = get_user_model().objects.get_or_create(username={USERNAME!r})\n"
        f"u.set_password({PASSWORD!r}); u.save()\n"
        "Membership.objects.get_or_create(user=u, organisation=org, role=Role.COORDINATOR)\n"
    )
    subprocess.run([str(PYTHON), "-c", code], env=env, check=True)


class Session:
    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str, float]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://127.0.0.1:{self.port}/accounts/login/"
        started = time.perf_counter()
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        elapsed = (time.perf_counter() - started) * 1000
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return response.status, text, elapsed


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--organisation", default="varha")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DEBUG": "1",  # plain-HTTP cookies on loopback; the page work is the same
        "ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "havainto.settings",
        "LOG_LEVEL": "ERROR",
    }
    prepare_user(env, args.organisation)
    port = free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "havainto.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        session = Session(port)
        for _ in range(100):
            try:
                if session.request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        status, page, _ = session.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, "login page has a CSRF token"
        form = urllib.parse.urlencode(
            {"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)}
        )
        status, _, _ = session.request("POST", "/accounts/login/", form)
        assert status == 302, f"login answered {status}"
        base = f"/o/{args.organisation}/inbox/"
        scenarios = {
            "/healthz": "/healthz",
            "inbox, no filter": base,
            "inbox, municipality + status": base + "?municipality=853&status=received",
            "inbox, type + SHL 11 § need": base + "?observation_type=problem&support_need=3",
            "inbox, free text 'velka'": base + "?q=velka",
            "inbox, free text + municipality": base + "?q=toimeentulotuki&municipality=853",
        }
        print(f"{'scenario':34} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  status")
        for name, path in scenarios.items():
            session.request("GET", path)  # warm-up
            times, statuses = [], set()
            for _ in range(args.rounds):
                status, _, elapsed = session.request("GET", path)
                times.append(elapsed)
                statuses.add(status)
            print(
                f"{name:34} {statistics.median(times):8.1f} {percentile(times, 0.95):8.1f} "
                f"{max(times):8.1f}  {sorted(statuses)}"
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
