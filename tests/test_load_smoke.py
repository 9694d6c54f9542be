"""A 30-second smoke of the load test: the scenario runs against gunicorn, PostgreSQL and Redis without a failure."""
import os
import re
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

from tests.conftest import require_service

pytestmark = pytest.mark.services


def _services_or_skip():
    database, redis_url = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if not database.startswith(("postgres://", "postgresql://")):
        require_service("PostgreSQL (set DATABASE_URL) for the load smoke")
    if not redis_url:
        require_service("Redis (set REDIS_URL) for the load smoke")
    import psycopg
    import redis

    try:
        # The server's maintenance database: the suite's own database may not exist yet.
        psycopg.connect(urlunsplit(urlsplit(database)._replace(path="/postgres")), connect_timeout=3).close()
        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except (psycopg.OperationalError, redis.exceptions.ConnectionError) as error:
        require_service(f"PostgreSQL and Redis for the load smoke: {error}")


def test_the_load_scenario_runs_without_failures_within_its_targets():
    """bench/load.py with 20 users for 30 seconds exits 0, every kind of user took part and nothing failed.

    The latencies are printed but not judged here: on a shared CI runner they say little about the site.
    """
    _services_or_skip()
    started = time.monotonic()
    result = subprocess.run(
        # A database and a Redis database of its own, so that a full run on the same machine is left alone.
        [sys.executable, "bench/load.py", "--users", "20", "--spawn-rate", "10", "--duration", "30s",
         "--database", "surveyplace_load_smoke", "--redis-db", "12", "--judge", "failures",
         # Shorter pauses than a person's, so that half a minute reaches every page of the scenario.
         "--wait", "1,4"],
        cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    rows = {match["label"]: match for match in re.finditer(
        r"^(?P<label>candidate|member|staff|overall)\s+(?P<requests>\d+)\s+(?P<failures>\d+)\s", result.stdout,
        re.MULTILINE)}
    assert set(rows) == {"candidate", "member", "staff", "overall"}, output
    assert all(int(row["requests"]) > 0 for row in rows.values()), output
    assert int(rows["overall"]["failures"]) == 0, output
    assert "targets: no failures (latencies not judged), per kind of user and overall: PASS" in output
    assert re.search(r"^overall\s+.*\s(PASS|FAIL)$", result.stdout, re.MULTILINE), output
    assert time.monotonic() - started < 180, output
