# ruff: noqa: T201, S603
"""Latency of the search page and the inbox's free-text filter, through gunicorn, beside /healthz.

Needs a database that already holds many reports, e.g. 1,000,000 made on PostgreSQL with

    havainto migrate && havainto demo
    havainto generate_reports --organisation varha --count 1000000

and then (`make bench-search` runs the same with the default database URL):

    .venv/bin/python scripts/bench_search.py \
        --database-url postgres://postgres@127.0.0.1:5432/hv_bench

A coordinator of the organisation (bench-search-coordinator, a fresh random password on every
run) is created or updated and logs in through the login form. gunicorn (sync workers,
DEBUG=0, a random SECRET_KEY) listens on 127.0.0.1 on a free port, its log goes to a file in a
temporary directory, and it is stopped by its own pid at the end. Every scenario is requested
once to warm up, then the scenarios are requested in turn, `--rounds` times each, one request
at a time, so that a burst of other work on the machine spreads over all of them. Printed:
p50/p95/max per scenario, the number of reports each search page says it found and a digest
of its hits (the same digest means the same results in the same order), the load average
before and after, and how busy the machine's cores were meanwhile.

`--baseline DIR` compares with another copy of the code (e.g. the previous commit:
`git archive COMMIT | tar -x -C DIR`): a second gunicorn runs that code against the same
database, and every request goes to both servers in turn (which one first alternates), so
that both see the same load on a shared machine.
"""

import argparse
import contextlib
import hashlib
import http.client
import itertools
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
USERNAME = "bench-search-coordinator"
PASSWORD = "bench-" + secrets.token_hex(12)

# (label, query, extra GET parameters). Realistic questions a coordinator asks: two common
# words whose combination is common too (the planner underestimates those), single common and
# rare words, compounds, a word no report holds, in Finnish and Swedish, and with filters.
SEARCHES: list[tuple[str, str, dict[str, str]]] = [
    ("fi two common", "toimeentulotuki asuminen", {}),
    ("fi two common", "toimeentulotuki kela", {}),
    ("fi two common", "lapsi koulu", {}),
    ("fi two words", "mielenterveys päihde", {}),
    ("fi two words", "nuori asunto", {}),
    ("fi common", "velka", {}),
    ("fi common", "lapsi", {}),
    ("fi common", "palvelu", {}),
    ("fi word", "yksinäisyys", {}),
    ("fi compound", "ruoka-apu", {}),
    ("fi word", "omaishoitaja", {}),
    ("fi word", "tulkki", {}),
    ("fi none", "kirahvi", {}),
    ("sv two common", "hemvård äldre", {}),
    ("sv two words", "barn familj", {}),
    ("sv common", "stöd", {}),
    ("sv word", "ensamhet", {}),
    ("sv word", "matbank", {}),
    ("fi + municipality", "velka", {"municipality": "853"}),
    ("fi + period", "toimeentulotuki", {"date_from": "2026-01-01", "date_to": "2026-06-30"}),
    ("sv + status", "äldre", {"status": "received"}),
]
INBOX: list[tuple[str, dict[str, str]]] = [
    ("inbox, free text 'velka'", {"q": "velka"}),
    ("inbox, 'toimeentulotuki' + municipality", {"q": "toimeentulotuki", "municipality": "853"}),
    ("inbox, 'hemvård äldre' + status", {"q": "hemvård äldre", "status": "received"}),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def server_env(database_url: str, root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_FILE")}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="havainto.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        SECURE_SSL_REDIRECT="0",
        ALLOWED_HOSTS=HOST,
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(root),
    )
    return env


def collect_static(env: dict[str, str], root: Path) -> None:
    """DEBUG=0 serves pages with hashed static names: the manifest must exist (var/static)."""
    subprocess.run(
        [sys.executable, "-m", "havainto.manage", "collectstatic", "--noinput", "-v0"],
        env=env,
        cwd=root,
        check=True,
    )


def prepare_user(env: dict[str, str], slug: str) -> int:
    """Create or update the bench coordinator; returns the organisation's report count."""
    code = (
        "import django; django.setup()\n"
        "from django.contrib.auth import get_user_model\n"
        "from havainto.accounts.models import Membership, Organisation, Role\n"
        "from havainto.reports.models import Report\n"
        f"org = Organisation.objects.get(slug={slug!r})\n"
        f"u, _ = get_user_model().objects.get_or_create(username={USERNAME!r})\n"
        f"u.set_password({PASSWORD!r}); u.save()\n"
        "Membership.objects.get_or_create(user=u, organisation=org, role=Role.COORDINATOR)\n"
        "print(Report.objects.filter(organisation=org).count())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    return int(done.stdout.split()[-1])


class Session:
    """One keep-alive-free HTTP client with a cookie jar, like a browser tab."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str, float]:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
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

    def log_in(self) -> None:
        _status, page, _ = self.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not token:
            raise RuntimeError("the login page has no CSRF token")
        form = urllib.parse.urlencode(
            {"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)}
        )
        status, _, _ = self.request("POST", "/accounts/login/", form)
        if status != 302:
            raise RuntimeError(f"login answered {status}")


@contextlib.contextmanager
def gunicorn(env: dict[str, str], root: Path, workers: int, log_path: Path) -> Iterator[int]:
    """Start gunicorn on a free port, wait for /healthz, yield the port; stop it by its pid."""
    port = free_port()
    gunicorn_bin = Path(sys.executable).with_name("gunicorn")
    command = [
        str(gunicorn_bin),
        "havainto.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            command, env=env, cwd=root, stdout=log, stderr=log, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({server.returncode}), see {log_path}")
            try:
                if Session(port).request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer in 60 s, see {log_path}")
            time.sleep(0.2)
        yield port
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def busy_seconds() -> float:
    """CPU seconds the whole machine has been busy (all cores), from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def loadavg() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def found_text(page: str) -> str:
    """How many reports the search page says it found (the window, 2000, when there are more)
    and a digest of its hits in order."""
    status = re.search(r'id="results-count">(.*?)</p>', page, re.S)
    count = re.search(r"\d[\d\u00a0 ,]*", status.group(1)) if status else None
    hits = re.search(r'<ol class="search-results".*?</ol>', page, re.S)
    digest = hashlib.sha256(hits.group(0).encode()).hexdigest()[:10] if hits else "-"
    if not status:
        return f"0 {digest}"
    number = re.sub(r"\D", "", count.group(0)) if count else "?"
    return f"{number} {digest}"


def inbox_text(page: str) -> str:
    """How many rows the inbox's first page holds, and a digest of their links in order."""
    links = re.findall(r'href="(/o/[^"]+/reports/\d+/)"', page)
    digest = hashlib.sha256(" ".join(links).encode()).hexdigest()[:10]
    return f"{len(links)} rows {digest}"


def scenario_list(slug: str) -> list[tuple[str, str, str]]:
    """(kind, name, path) of every scenario, /healthz first."""
    scenarios = [("healthz", "GET /healthz", "/healthz")]
    for label, query, extra in SEARCHES:
        params = urllib.parse.urlencode({"q": query, **extra})
        name = f"search {label}: {query}" + "".join(f" +{k}" for k in extra)
        scenarios.append(("search", name, f"/o/{slug}/search/?{params}"))
    for name, params in INBOX:
        scenarios.append(("inbox", name, f"/o/{slug}/inbox/?{urllib.parse.urlencode(params)}"))
    return scenarios


def describe(kind: str, page: str) -> str:
    if kind == "search":
        return found_text(page)
    if kind == "inbox":
        return inbox_text(page)
    return ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--organisation", default="varha")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--baseline", type=Path, metavar="DIR", help="Code to compare with.")
    parser.add_argument("--keep-log", action="store_true", help="Keep the gunicorn logs.")
    args = parser.parse_args()

    roots = {"this": ROOT}
    if args.baseline:
        roots = {"baseline": args.baseline.resolve(), "this": ROOT}
    envs = {label: server_env(args.database_url, root) for label, root in roots.items()}
    for label, root in roots.items():
        collect_static(envs[label], root)
    reports = prepare_user(envs["this"], args.organisation)
    scenarios = scenario_list(urllib.parse.quote(args.organisation))
    labels = list(roots)
    times = {(label, name): [] for label in labels for _, name, _ in scenarios}
    statuses: dict[tuple[str, str], set[int]] = {key: set() for key in times}
    answers: dict[tuple[str, str], str] = {}

    directory = Path(tempfile.mkdtemp(prefix="bench-search-"))
    try:
        with contextlib.ExitStack() as stack:
            sessions = {}
            for label, root in roots.items():
                log_path = directory / f"gunicorn-{label}.log"
                port = stack.enter_context(gunicorn(envs[label], root, args.workers, log_path))
                sessions[label] = Session(port)
                sessions[label].log_in()
            for (kind, name, path), label in itertools.product(scenarios, labels):
                status, page, _ = sessions[label].request("GET", path)  # warm-up
                statuses[label, name].add(status)
                answers[label, name] = describe(kind, page)
            load_before = loadavg()
            busy0, wall0 = busy_seconds(), time.monotonic()
            for round_number in range(args.rounds):
                order = labels if round_number % 2 == 0 else labels[::-1]
                for (_kind, name, path), label in itertools.product(scenarios, order):
                    status, _page, elapsed = sessions[label].request("GET", path)
                    times[label, name].append(elapsed)
                    statuses[label, name].add(status)
            busy1, wall1 = busy_seconds(), time.monotonic()
            load_after = loadavg()
    finally:
        if args.keep_log:
            print(f"gunicorn logs: {directory}")
        else:
            shutil.rmtree(directory, ignore_errors=True)

    # How busy the machine's cores were; this script, its servers and PostgreSQL use about
    # one (one request at a time), anything above that is other people's work.
    busy_cores = (busy1 - busy0) / (wall1 - wall0)
    print(
        f"{reports} reports in {args.organisation}; {args.rounds} rounds; gunicorn "
        f"{args.workers} sync workers on {HOST} per server; load average before {load_before}, "
        f"after {load_after}; busy cores during the run {busy_cores:.2f} of {os.cpu_count()}"
    )
    print()
    heads = [f"{label} {stat}" for label in labels for stat in ("p50 ms", "p95 ms", "max ms")]
    print(f"| scenario | {' | '.join(heads)} | p50 / healthz p50 | found |")
    print("|---|" + "--:|" * (len(heads) + 1) + "---|")
    healthz = {label: statistics.median(times[label, "GET /healthz"]) for label in labels}
    for _kind, name, _path in scenarios:
        cells = []
        for label in labels:
            values = times[label, name]
            p50, p95 = statistics.median(values), percentile(values, 0.95)
            cells += [f"{p50:.1f}", f"{p95:.1f}", f"{max(values):.1f}"]
        ratio = statistics.median(times["this", name]) / healthz["this"]
        found = answers["this", name]
        if args.baseline and found != answers["baseline", name]:
            found += f" (baseline: {answers['baseline', name]})"
        print(f"| {name} | {' | '.join(cells)} | {ratio:.0f} | {found} |")
    print()
    for label in labels:
        measured = [(kind, name) for kind, name, _ in scenarios if kind != "healthz"]
        every = [t for _, name in measured for t in times[label, name]]
        p95s = [(percentile(times[label, name], 0.95), name) for _, name in measured]
        worst = max(p95s)
        print(
            f"{label}: all search and inbox requests p50 {statistics.median(every):.1f} ms, "
            f"p95 {percentile(every, 0.95):.1f} ms, max {max(every):.1f} ms; worst p95 "
            f"{worst[0]:.1f} ms ({worst[1]}); scenarios with p95 >= 300 ms: "
            f"{sum(1 for p95, _ in p95s if p95 >= 300)} of {len(p95s)}"
        )
    bad = [f"{label} {name}" for (label, name), codes in statuses.items() if codes != {200}]
    if bad:
        print(f"Non-200 answers: {', '.join(bad)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
