"""Work interrupted half-way leaves nothing half-saved, and can be done again."""
import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from config.celery import app
from core import clock
from placement.models import Assignment, Candidate, LandOffice, PlacementRun, PreferenceEntry, PreferenceList, Vacancy
from placement.services.common import PlacementError
from tests.conftest import require_service
from tests.factories import LandOfficeFactory, make_user

CANDIDATES = 3000
OFFICES = 120
CHOICES = 20


def _worker_env() -> dict:
    database = settings.DATABASES["default"]
    user = database.get("USER") or ""
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    host = f"{database.get('HOST') or '127.0.0.1'}:{database.get('PORT') or 5432}"
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": f"postgres://{user}{password}@{host}/{database['NAME']}"}


def _large_cycle(world) -> None:
    """Add enough offices and candidates, each ranking many offices, that solving takes a while."""
    now = clock.now()
    offices = LandOffice.objects.bulk_create(
        LandOfficeFactory.build(county="臺中市") for _n in range(OFFICES))
    Vacancy.objects.bulk_create(Vacancy(cycle=world.cycle, office=office, seats=10) for office in offices)
    candidates = Candidate.objects.bulk_create(
        Candidate(cycle=world.cycle, exam_number=f"9{n:06d}", name=f"考生R{n}", email=f"r{n}@example.com",
                  exam_score=50, exam_rank=100 + n) for n in range(CANDIDATES))
    lists = PreferenceList.objects.bulk_create(
        PreferenceList(candidate=candidate, updated_at=now, submitted_at=now) for candidate in candidates)
    PreferenceEntry.objects.bulk_create(
        (PreferenceEntry(preference_list=preference_list, office=offices[(n * 7 + k * 13) % OFFICES], position=k + 1)
         for n, preference_list in enumerate(lists) for k in range(CHOICES)), batch_size=5000)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_run_killed_while_solving_saves_nothing_and_can_be_started_again(world, settings):
    """kill -9 the process executing a run: no assignment is saved, the sweeper frees the cycle, a new run works."""
    if connection.vendor != "postgresql":
        require_service("PostgreSQL (set DATABASE_URL) for a run executed in another process")
    world.close_preferences()
    _large_cycle(world)
    # Rows, not the service: in a transactional test the service's run would be executed as soon as it commits.
    run = PlacementRun.objects.create(cycle=world.cycle, policy="exam_rank", exam_weight=1, seed=7,
                                      created_at=clock.now())
    process = subprocess.Popen(
        [sys.executable, "-c", "import django; django.setup(); from placement.services.runs import "
         f"placement_run_execute; placement_run_execute(run_id={run.pk})"],
        env=_worker_env(), cwd=settings.BASE_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        # Kill it once it is solving: the snapshot is taken (progress 30) and nothing is saved yet.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            run.refresh_from_db()
            if run.progress >= 30:
                break
            time.sleep(0.05)
        assert process.poll() is None, process.stdout.read().decode()
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    run.refresh_from_db()
    assert run.status == PlacementRun.Status.RUNNING and 30 <= run.progress < 100, run.progress
    assert not Assignment.objects.filter(run=run).exists()
    with pytest.raises(PlacementError):
        world.run()

    # The periodic sweeper fails the run whose process died, which frees the cycle for a new run.
    settings.PLACEMENT_RUN_STUCK_MINUTES = 0
    app.tasks["placement.tasks.placement_runs_sweep_task"].apply().get()
    run.refresh_from_db()
    assert run.status == PlacementRun.Status.FAILED and run.error
    again = world.run()  # Tasks run inline here: the run is executed when it commits.
    again.refresh_from_db()
    assert again.status == PlacementRun.Status.SUCCEEDED
    assert Assignment.objects.filter(run=again).count() == CANDIDATES + len(world.candidates)
    assert not Assignment.objects.filter(run=run).exists()


@pytest.mark.django_db(transaction=True)
def test_a_request_whose_database_connection_is_cut_mid_write_gets_the_error_page_and_saves_nothing(world):
    """The server ends the request's session between two writes: the site's 500 page, and neither write stays."""
    if connection.vendor != "postgresql":
        require_service("PostgreSQL (set DATABASE_URL) to end a database session from outside")
    import psycopg

    world.close_preferences()
    client = Client(raise_request_exception=False)
    client.force_login(make_user(Role.EXAM_STAFF))
    database = settings.DATABASES["default"]
    backend_pid = connection.cursor().connection.info.backend_pid
    cut, seen = [], []

    def cut_after_the_run_is_inserted(execute, sql, params, many, context):
        # The run's row is written; the audit entry that follows in the same transaction finds the session gone.
        if sql.startswith('INSERT INTO "placement_placementrun"'):
            seen.append(sql)
        elif seen and not cut and sql.startswith('INSERT INTO "auditlog_logentry"'):
            with psycopg.connect(host=database.get("HOST") or "127.0.0.1", port=database.get("PORT") or 5432,
                                 user=database.get("USER") or "", password=database.get("PASSWORD") or None,
                                 dbname=database["NAME"], autocommit=True) as other:
                other.execute("SELECT pg_terminate_backend(%s)", [backend_pid])
            cut.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(cut_after_the_run_is_inserted):
        response = client.post(reverse("placement:run_list", kwargs={"pk": world.cycle.pk}),
                               {"policy": "exam_rank", "exam_weight": "1", "seed": "3"})
    connection.close()
    assert cut, "the request never reached its second write"
    assert response.status_code == 500
    body = response.content.decode()
    assert "系統發生錯誤" in body and "Server error" in body
    assert not PlacementRun.objects.exists()
