"""A world of two tenants for the security suite, built through the real services.

Office A and office B each have their staff, a focus group leader and member, a profile, question bank items, videos
and a focus group with a session, notes and questions. Candidate 1 ranks and consents to office A; candidate 2 to
office B only, so nothing of candidate 2 is any business of office A's staff or of candidate 1. A past cycle holds a
published run in which both candidates were placed, so their results and place answers exist too.
"""
import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.roles import Role
from accounts.services import invitation_create
from core import clock
from focusgroups.services import groups as group_services
from focusgroups.services import ratings as rating_services
from focusgroups.services.questions import question_ask, question_reply
from placement.models import ExamCycle, PlaceResponse, Vacancy
from placement.services.preferences import preference_list_save
from placement.services.publications import publication_create
from placement.services.reporting import late_vacancy_report
from placement.services.runs import placement_run_start
from portfolios.services import portfolio_consent_set, portfolio_summary_set
from practice.services.attempts import practice_attempt_start, task_answer_submit
from tests.factories import CandidateFactory, ExamCycleFactory, LandOfficeFactory, make_office_profile, make_user
from tests.media_pipeline.factories import PDF, PNG, evidence_file, upload_started, youtube_link
from tests.portfolios.factories import described
from tests.practice.conftest import make_question, make_task

# The project's own apps, whose rows the walk compares before and after each request.
PROJECT_APPS = ("accounts", "core", "placement", "offices", "media_pipeline", "portfolios", "practice", "focusgroups")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Keep each test's stored files in its own folder, and keep YouTube links unchecked (no key)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.YOUTUBE_API_KEY = ""
    return settings.MEDIA_ROOT


@dataclass
class Tenant:
    """One office's people and objects, and the candidate who applies only to it."""

    office: object
    staff: object
    leader: object
    member: object
    candidate: object
    objects: dict = field(default_factory=dict)


@dataclass
class World:
    cycle: object
    past_cycle: object
    a: Tenant
    b: Tenant
    exam_staff: object
    run: object = None
    publication: object = None
    invitation: object = None

    def phase_submissions(self):
        """Put the current cycle in its candidate-submissions phase, where candidates' changes are open."""
        ExamCycle.objects.filter(pk=self.cycle.pk).update(submissions_until=clock.now() + dt.timedelta(days=5),
                                                          focus_groups_until=clock.now() + dt.timedelta(days=10))

    def phase_focus_groups(self):
        """Put the current cycle in its focus-group phase, where raters' changes are open."""
        ExamCycle.objects.filter(pk=self.cycle.pk).update(submissions_until=clock.now() - dt.timedelta(days=1),
                                                          focus_groups_until=clock.now() + dt.timedelta(days=10))


def _tenant(cycle, label: str) -> Tenant:
    office = LandOfficeFactory(code=f"OFFICE-{label}", name=f"{label}地政事務所", name_en=f"Office {label}")
    Vacancy.objects.create(cycle=cycle, office=office, seats=2)
    candidate = CandidateFactory(cycle=cycle, user=make_user(Role.CANDIDATE, name=f"考生{label}"),
                                 name=f"考生{label}")
    return Tenant(office=office, staff=make_user(Role.OFFICE_STAFF, office=office, name=f"承辦{label}"),
                  leader=make_user(Role.FOCUS_GROUP_LEADER, office=office, name=f"組長{label}"),
                  member=make_user(Role.FOCUS_GROUP_MEMBER, office=office, name=f"組員{label}"),
                  candidate=candidate)


def _submissions(tenant: Tenant) -> None:
    """Leave what the tenant's candidate and office add while submissions are open."""
    candidate, office, objects = tenant.candidate, tenant.office, tenant.objects
    preference_list_save(candidate=candidate, office_ids=[office.pk])
    portfolio_consent_set(candidate=candidate, office_ids=[office.pk], acting_user=candidate.user)
    portfolio_summary_set(candidate=candidate, summary="擅長導線測量。", acting_user=candidate.user)
    objects["candidate_video"] = youtube_link(candidate=candidate, title="經緯儀整置")
    described(objects["candidate_video"], "整置經緯儀", "對中")
    objects["candidate_upload"] = upload_started(candidate=candidate)
    objects["evidence"] = evidence_file(candidate=candidate)
    objects["office_video"] = youtube_link(office=office, youtube_id="aaaaaaaaaaa", title="所內介紹")
    objects["office_upload"] = upload_started(office=office, title="外業介紹")
    objects["question"] = make_question(office)
    objects["published_task"] = make_task(office, title="已公開的任務",
                                          attachment=SimpleUploadedFile("task.pdf", PDF))
    objects["unpublished_task"] = make_task(office, title="草稿任務", published=False,
                                            attachment=SimpleUploadedFile("draft.pdf", PDF))
    objects["attempt"] = practice_attempt_start(candidate=candidate, office=office, acting_user=candidate.user)
    objects["answer"] = task_answer_submit(
        candidate=candidate, task=objects["published_task"], text="閉合差 3 公分。",
        files=[SimpleUploadedFile("answer.png", PNG)], acting_user=candidate.user)
    objects["answer_file"] = objects["answer"].files.get()
    objects["profile"] = make_office_profile(office)


def _focus_group(cycle, tenant: Tenant) -> None:
    """Leave the tenant's focus group: member, roster, scoring open, a session, a note, a question and a reply."""
    objects = tenant.objects
    group = group_services.focus_group_create(office=tenant.office, cycle=cycle, leader=tenant.leader)
    objects["member_row"] = group_services.member_add(group=group, email=tenant.member.email,
                                                      acting_user=tenant.leader)
    group_services.roster_fix(group=group, candidate_ids=[tenant.candidate.pk], version=None,
                              acting_user=tenant.leader)
    group = group_services.scoring_open(group=group, version=None, acting_user=tenant.leader)
    objects["group"] = group
    objects["session"] = group_services.session_save(
        group=group, session=None, starts_at=clock.now() + dt.timedelta(days=1), duration_minutes=60,
        meeting_url="https://meet.example.org/fg", agenda="評分標準", acting_user=tenant.leader)
    objects["note"] = rating_services.video_note_add(
        group=group, candidate=tenant.candidate, video=objects["candidate_video"], rater=tenant.member,
        at_seconds=12, text="對中不確實")
    objects["candidate_question"] = question_ask(group=group, candidate=tenant.candidate, text="請補充測站照片。",
                                                 reply_due_at=clock.now() + dt.timedelta(days=2),
                                                 acting_user=tenant.member)
    question_reply(question=objects["candidate_question"], author=tenant.candidate.user, text="已補充。")


def _past_publication(world: World, capture) -> None:
    """Place both candidates in a past cycle and publish the result, so each has a result and a place answer."""
    past = world.past_cycle
    past_candidates = []
    for tenant in (world.a, world.b):
        Vacancy.objects.create(cycle=past, office=tenant.office, seats=1)
        candidate = CandidateFactory(cycle=past, user=tenant.candidate.user, name=tenant.candidate.name)
        preference_list_save(candidate=candidate, office_ids=[tenant.office.pk])
        past_candidates.append((tenant, candidate))
    now = clock.now()
    ExamCycle.objects.filter(pk=past.pk).update(
        office_profiles_until=now - dt.timedelta(days=40), submissions_until=now - dt.timedelta(days=30),
        focus_groups_until=now - dt.timedelta(days=20), preferences_until=now - dt.timedelta(days=1),
        report_by=now + dt.timedelta(days=14))
    past.refresh_from_db()
    with capture(execute=True):
        run = placement_run_start(cycle=past, policy="exam_rank", exam_weight=1, seed=7,
                                  acting_user=world.exam_staff)
    run.refresh_from_db()
    with capture(execute=True):
        world.publication = publication_create(run=run, acting_user=world.exam_staff)
    world.run = run
    for tenant, candidate in past_candidates:
        tenant.objects["past_candidate"] = candidate
        tenant.objects["place_response"] = PlaceResponse.objects.get(assignment__candidate=candidate)
        tenant.objects["late_vacancy"] = late_vacancy_report(cycle=past, office=tenant.office, seats=1,
                                                             reason="退休", acting_user=tenant.staff)


def build_world(capture) -> World:
    """Build both tenants through the services, leaving the current cycle in its candidate-submissions phase."""
    cycle = ExamCycleFactory(is_current=True, name="115年 現行考試")
    past = ExamCycleFactory(is_current=False, name="114年 前次考試", year=114)
    world = World(cycle=cycle, past_cycle=past, a=_tenant(cycle, "A"), b=_tenant(cycle, "B"),
                  exam_staff=make_user(Role.EXAM_STAFF))
    world.phase_submissions()
    for tenant in (world.a, world.b):
        _submissions(tenant)
    world.phase_focus_groups()
    for tenant in (world.a, world.b):
        _focus_group(cycle, tenant)
    world.phase_submissions()
    _past_publication(world, capture)
    world.invitation = invitation_create(email="newstaff@example.com", role=Role.OFFICE_STAFF,
                                         invited_by=world.exam_staff, office=world.b.office, send=False)
    return world


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    return build_world(django_capture_on_commit_callbacks)


def project_rows() -> dict[str, list[dict]]:
    """Return every row of the project's own tables, by model, to compare before and after a request."""
    rows = {}
    for label in PROJECT_APPS:
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        for model in config.get_models():
            rows[model._meta.label] = list(model.objects.order_by("pk").values())
    return rows


def rows_changed(before: dict, after: dict) -> list[str]:
    """Name each model whose rows differ between two snapshots."""
    return [label for label in before if before[label] != after.get(label)]


def signed_in(user) -> Client:
    """Return a browser signed in as the user, reading English."""
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client
