"""Load test: a locust scenario against gunicorn with PostgreSQL and Redis, judged against p95 and p99 targets.

Run from the project root: ``.venv/bin/python bench/load.py [--users 200] [--spawn-rate 20] [--duration 5m]``.
It drops and creates the PostgreSQL database ``surveyplace_load`` (on the server of a postgres DATABASE_URL, else
postgres@127.0.0.1:5432), empties Redis database 13 (on REDIS_URL's server, else 127.0.0.1:6379), and prepares the
data with bench/load_setup.py under production settings (bench/load_settings.py: static files collected into a
temporary folder). It then starts gunicorn on a free loopback port and runs bench/locustfile.py headless: seven in
ten users are candidates (office discovery with filters, office pages, the preference page and changes to it,
their videos, evidence uploads), two in ten focus-group members (their groups, the roster, the scoring page and
draft autosaves), one in ten examination staff (published results, filtered results, runs, candidates).

It prints requests, failures, requests per second, median, p95, p99 and the slowest request per kind of user and
per page, and PASS or FAIL against the targets: p95 under 500 ms, p99 under 1 s, no failures, for every kind of
user and overall. It exits 1 when a target is missed (with ``--judge failures``, only when a request failed or the
scenario raised). CI runs a 30-second smoke of it with 20 users (tests/test_load_smoke.py), which judges failures
only: latencies on a shared CI runner say little.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
P95_BUDGET_MS = 500.0
P99_BUDGET_MS = 1000.0
ROLES = ("candidate", "member", "staff")
# Variables of a developer's or the suite's environment that must not reach the production-like processes.
DROPPED = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "CELERY_TASK_ALWAYS_EAGER",
           "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_DEBUG", "MEDIA_ROOT", "PYTEST_ADDOPTS")


def _seconds(duration: str) -> int:
    """Turn locust's run time ("30s", "5m", "1h30m", "90") into seconds."""
    parts = re.findall(r"(\d+)\s*([hms]?)", duration)
    if not parts or "".join(number + unit for number, unit in parts) != duration.replace(" ", ""):
        raise argparse.ArgumentTypeError(f"not a duration: {duration!r}")
    return sum(int(number) * {"h": 3600, "m": 60, "s": 1, "": 1}[unit] for number, unit in parts)


def _server_url(url: str, *, path: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _percentile(ordered: list[float], share: float) -> float:
    """Return the nearest-rank percentile of sorted values."""
    return ordered[max(0, math.ceil(share / 100 * len(ordered)) - 1)] if ordered else 0.0


def _fresh_database(server: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(_server_url(server, path="/postgres"), autocommit=True, connect_timeout=5) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            connection.execute(f'CREATE DATABASE "{name}"')


def _empty_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url, socket_connect_timeout=5).flushdb()


def _environment(args, work: Path, database_url: str, redis_url: str) -> dict:
    from cryptography.fernet import Fernet

    env = {key: value for key, value in os.environ.items() if key not in DROPPED}
    return env | {
        "DJANGO_SETTINGS_MODULE": "bench.load_settings",
        "LOAD_STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": str(args.conn_max_age),
        "REDIS_URL": redis_url,
        "EMAIL_URL": "dummymail://",
        "SITE_URL": "https://surveyplace.example.tw",
        "MFA_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "DJANGO_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def _wait_until_serving(url: str, server: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped (exit {server.returncode}):\n{log.read_text()[-3000:]}")
        try:
            request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (a loopback URL of ours)
                if response.status < 500:
                    return
        except urllib.error.HTTPError as error:
            if error.code < 500:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer within {timeout:.0f} s:\n{log.read_text()[-3000:]}")


def _warm_up(host: str, plan_file: Path, workers: int) -> int:
    """Request every page of the scenario a few times per gunicorn worker; return how many requests were made.

    Each worker compiles its templates and fills its caches on first use, as a server running for a while has
    done; the run measures that running server, not its first seconds.
    """
    plan = json.loads(plan_file.read_text())
    group = plan["group"]
    candidate, member, staff = plan["candidates"][0]["session"], group["sessions"][0], plan["staff"][0]
    pages = [(candidate, path) for path in ("/offices/", "/offices/?distance=80&sort=distance", "/preferences/",
                                            f"/o/{(plan['profile_codes'] or plan['office_codes'])[0]}/",
                                            "/videos/mine/", "/videos/evidence/")]
    pages += [(member, path) for path in ("/focus-groups/", f"/focus-groups/{group['group']}/",
                                          f"/focus-groups/{group['group']}/candidates/",
                                          f"/focus-groups/{group['group']}/candidates/{group['roster'][0]}/")]
    pages += [(staff, path) for path in (f"/cycles/{plan['past_cycle']}/results/",
                                         f"/cycles/{plan['past_cycle']}/results/?placed=false",
                                         f"/cycles/{plan['past_cycle']}/runs/", f"/cycles/{plan['cycle']}/candidates/")]

    def fetch(page):
        session, path = page
        request = urllib.request.Request(f"{host}{path}", headers={
            "X-Forwarded-Proto": "https", "X-Forwarded-For": "10.0.0.1", "Cookie": f"sessionid={session}"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (a loopback URL of ours)
                response.read()
        except urllib.error.HTTPError:
            pass  # The measured run reports what fails.

    requests = pages * workers
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(fetch, requests))
    return len(requests)


def _row(label: str, samples: list, seconds: float) -> tuple[str, dict]:
    times = sorted(sample[2] for sample in samples)
    figures = {
        "requests": len(samples), "failures": sum(1 for sample in samples if sample[3]),
        "rps": len(samples) / seconds if seconds else 0.0, "p50": _percentile(times, 50),
        "p95": _percentile(times, 95), "p99": _percentile(times, 99), "max": times[-1] if times else 0.0,
    }
    line = (f"{label:<46} {figures['requests']:>8} {figures['failures']:>8} {figures['rps']:>7.1f} "
            f"{figures['p50']:>7.0f} {figures['p95']:>7.0f} {figures['p99']:>7.0f} {figures['max']:>7.0f}")
    return line, figures


def report(samples: list, seconds: float, *, judge: str = "all") -> bool:
    """Print the figures per kind of user, per page and overall; return whether every target judged was met.

    With judge "failures" the latencies are printed and marked but only failures decide.
    """
    print(f"\n{'':<46} {'requests':>8} {'failures':>8} {'req/s':>7} {'median':>7} {'p95':>7} {'p99':>7} "
          f"{'max':>7}   (ms)")
    met = True
    groups = [(role, [sample for sample in samples if sample[0] == role]) for role in ROLES]
    for role, of_role in [*groups, ("overall", samples)]:
        if not of_role:
            continue
        line, figures = _row(role, of_role, seconds)
        fast = figures["p95"] < P95_BUDGET_MS and figures["p99"] < P99_BUDGET_MS
        ok = fast and figures["failures"] == 0
        met &= ok if judge == "all" else figures["failures"] == 0
        print(f"{line}   {'PASS' if ok else 'FAIL'}")
        if role == "overall":
            continue
        by_name = defaultdict(list)
        for sample in of_role:
            by_name[sample[1]].append(sample)
        for name in sorted(by_name):
            print(_row(f"  {name.split(': ', 1)[-1]}", by_name[name], seconds)[0])
    if not samples:
        print("no requests were made")
        met = False
    failures = Counter(f"{sample[1]}: {sample[3]}" for sample in samples if sample[3])
    for message, count in failures.most_common(10):
        print(f"failure x{count}: {message}")
    judged = (f"p95 < {P95_BUDGET_MS:.0f} ms, p99 < {P99_BUDGET_MS:.0f} ms and no failures"
              if judge == "all" else "no failures (latencies not judged)")
    print(f"\ntargets: {judged}, per kind of user and overall: {'PASS' if met else 'FAIL'}")
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--spawn-rate", type=float, default=20)
    parser.add_argument("--duration", default="5m", help="locust's run time: 30s, 5m, 1h30m")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn processes")
    parser.add_argument("--wait", default="5,25", help="seconds each user waits between pages: min,max")
    parser.add_argument("--conn-max-age", type=int, default=60, help="DATABASE_CONN_MAX_AGE of the web processes")
    parser.add_argument("--database", default="surveyplace_load")
    parser.add_argument("--redis-db", type=int, default=13)
    parser.add_argument("--judge", choices=("all", "failures"), default="all",
                        help="what decides the exit status: the latency targets and failures, or failures only")
    parser.add_argument("--keep", action="store_true", help="keep the database and the run's folder afterwards")
    args = parser.parse_args()
    seconds = _seconds(args.duration)
    wait_min, wait_max = (float(part) for part in args.wait.split(","))

    configured = os.environ.get("DATABASE_URL", "")
    server = configured if configured.startswith(("postgres://", "postgresql://")) else "postgres://postgres@127.0.0.1:5432"
    database_url = _server_url(server, path=f"/{args.database}")
    redis_url = _server_url(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379", path=f"/{args.redis_db}")
    work = Path(tempfile.mkdtemp(prefix="surveyplace-load-"))
    env = _environment(args, work, database_url, redis_url)
    members = math.ceil(args.users * 0.2) + 1
    staff = math.ceil(args.users * 0.1) + 1
    started = time.monotonic()
    _fresh_database(server, args.database)
    _empty_redis(redis_url)
    plan, samples_file, log = work / "plan.json", work / "samples.json", work / "gunicorn.log"
    # Static files need no database, so they are collected while the database is prepared.
    collect = subprocess.Popen([sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    setup = subprocess.run(
        [sys.executable, "bench/load_setup.py", "--members", str(members), "--staff", str(staff), "--out", str(plan)],
        cwd=ROOT, env=env | {"CELERY_TASK_ALWAYS_EAGER": "True"}, capture_output=True, text=True, timeout=600)
    collected = collect.communicate(timeout=600)[0]
    if setup.returncode != 0 or collect.returncode != 0:
        print(setup.stdout, setup.stderr, collected, sep="\n")
        return 2
    print(f"setup: {setup.stdout.strip()} ({time.monotonic() - started:.0f} s)")

    port = _free_port()
    host = f"http://127.0.0.1:{port}"
    with log.open("w") as log_file:
        web = subprocess.Popen(
            [str(BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
             "--timeout", "60", "--graceful-timeout", "10", "--preload"],
            cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        _wait_until_serving(f"{host}/", web, log)
        warm_started = time.monotonic()
        warmed = _warm_up(host, plan, args.workers)
        print(f"gunicorn: {args.workers} workers on {host}; database {args.database}, Redis {redis_url}; warmed up "
              f"with {warmed} requests in {time.monotonic() - warm_started:.0f} s")
        print(f"locust: {args.users} users (spawn rate {args.spawn_rate:g}/s) for {seconds} s, each waiting "
              f"{wait_min:g}-{wait_max:g} s between pages")
        locust = subprocess.run(
            [str(BIN / "locust"), "-f", "bench/locustfile.py", "--headless", "--users", str(args.users),
             "--spawn-rate", str(args.spawn_rate), "--run-time", f"{seconds}s", "--host", host, "--only-summary",
             "--stop-timeout", "10", "--loglevel", "WARNING"],
            cwd=ROOT, env=env | {"LOAD_PLAN": str(plan), "LOAD_SAMPLES": str(samples_file),
                                 "LOAD_WAIT_MIN": str(wait_min), "LOAD_WAIT_MAX": str(wait_max)},
            capture_output=True, text=True, timeout=seconds + 300)
    finally:
        web.send_signal(signal.SIGTERM)
        try:
            web.wait(timeout=30)
        except subprocess.TimeoutExpired:
            web.kill()
    if not samples_file.exists():
        print(locust.stdout[-3000:], locust.stderr[-3000:], sep="\n")
        return 2
    met = report(json.loads(samples_file.read_text()), seconds, judge=args.judge)
    if "Traceback" in locust.stderr:
        # A user whose scenario raised stopped making requests; that is a failure of the run too.
        met = False
        print("FAIL: the scenario raised errors (locust's log):\n" + locust.stderr[:4000])
    errors = [line for line in log.read_text().splitlines() if "Traceback" in line or "[ERROR]" in line]
    if errors:
        print(f"gunicorn logged {len(errors)} error lines; see {log}" if args.keep else
              "gunicorn's log:\n" + log.read_text()[-3000:])
    print(f"total {time.monotonic() - started:.0f} s")
    if not args.keep:
        _fresh_database(server, args.database, drop_only=True)
        _empty_redis(redis_url)
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"kept: database {args.database}, folder {work}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
