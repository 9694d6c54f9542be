"""Candidates' preference lists (志願): saved as they go, submitted with a hash."""
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from core import clock
from core.audit import as_system, audit_event
from core.queue import enqueue

from ..engine_io import DONE_STATES, HOLDING_STATES, canonical_json, published_runs, sha256_hex
from ..models import Candidate, ExamCycle, Phase, PlaceResponse, PreferenceEntry, PreferenceList, Vacancy
from ..phases import BEFORE_PLACEMENT, cycle_in_phase
from .common import PlacementError


def preference_list_editable(cycle: ExamCycle, candidate: Candidate | None = None) -> bool:
    """Say whether a list may change now: before the placement, or, for a candidate who holds no seat and gave none
    up, while the cycle lets lists change for the next supplementary round."""
    if cycle_in_phase(cycle, BEFORE_PLACEMENT):
        return True
    return candidate is not None and round_preferences_open(cycle) and round_eligible(candidate)


def round_preferences_open(cycle: ExamCycle) -> bool:
    return (cycle.round_preferences_until is not None and cycle_in_phase(cycle, {Phase.PUBLISHED})
            and clock.now() < cycle.round_preferences_until)


def round_eligible(candidate: Candidate) -> bool:
    """Say whether the candidate would be in the next round's pool: no answer of theirs holds or gave up a seat."""
    runs = published_runs(candidate.cycle)
    return not PlaceResponse.objects.filter(candidate=candidate, assignment__run__in=runs,
                                            state__in=(*HOLDING_STATES, *DONE_STATES)).exists()


def preference_list_save(*, candidate: Candidate, office_ids: list[int]) -> PreferenceList:
    """Replace a candidate's preference list with offices in the given order; an edit withdraws the submission."""
    if not preference_list_editable(candidate.cycle, candidate):
        raise PlacementError(_("The preference deadline has passed: your list can no longer change."))
    if len(set(office_ids)) != len(office_ids):
        raise PlacementError(_("Each office can appear only once in your list."))
    offering = set(Vacancy.objects.filter(cycle=candidate.cycle_id, seats__gt=0, office_id__in=office_ids)
                   .values_list("office_id", flat=True))
    if set(office_ids) - offering:
        raise PlacementError(_("Your list may only name offices with vacancies in this cycle."))
    with transaction.atomic():
        preference_list, created = PreferenceList.objects.select_for_update().get_or_create(
            candidate=candidate, defaults={"updated_at": clock.now()}
        )
        current = list(preference_list.entries.order_by("position").values_list("office_id", flat=True))
        if not created and current == office_ids:
            return preference_list
        preference_list.entries.all().delete()
        PreferenceEntry.objects.bulk_create(
            PreferenceEntry(preference_list=preference_list, office_id=office_id, position=position)
            for position, office_id in enumerate(office_ids, start=1)
        )
        preference_list.updated_at = clock.now()
        preference_list.submitted_at = None
        preference_list.submitted_sha256 = ""
        preference_list.submitted_automatically = False
        preference_list.save(update_fields=["updated_at", "submitted_at", "submitted_sha256",
                                            "submitted_automatically"])
    return preference_list


def preference_list_hash(codes: list[str]) -> str:
    return sha256_hex(canonical_json(codes))


def preference_list_submit(*, candidate: Candidate) -> PreferenceList:
    """Record the time and SHA-256 of the candidate's current list as their submission."""
    if not preference_list_editable(candidate.cycle, candidate):
        raise PlacementError(_("The preference deadline has passed: your list can no longer change."))
    with transaction.atomic():
        preference_list = PreferenceList.objects.select_for_update().filter(candidate=candidate).first()
        codes = list(preference_list.entries.order_by("position").values_list("office__code", flat=True)) if (
            preference_list) else []
        if not codes:
            raise PlacementError(_("Add at least one office to your list before submitting it."))
        preference_list.submitted_at = clock.now()
        preference_list.submitted_sha256 = preference_list_hash(codes)
        preference_list.save(update_fields=["submitted_at", "submitted_sha256"])
        audit_event(preference_list, "preference_list.submitted", offices=codes,
                    sha256=preference_list.submitted_sha256)
    return preference_list


def preference_lists_submit_at_deadline(*, cycle: ExamCycle) -> int:
    """Submit, as of the deadline, every saved list of the cycle still unsubmitted once its preference phase ended.

    Only submitted lists take part in a run; this is what makes a saved but unsubmitted list count, as the
    preference page promises. Each candidate concerned is emailed the receipt. Return the number submitted; a
    second call submits nothing.
    """
    if cycle_in_phase(cycle, BEFORE_PLACEMENT) or round_preferences_open(cycle):
        return 0
    # After publication a list can only have changed in the window before a supplementary round; it closes then.
    round_window_closed = cycle.round_preferences_until is not None and cycle_in_phase(cycle, {Phase.PUBLISHED})
    submitted_at = (cycle.round_preferences_until if round_window_closed else cycle.preferences_until) or clock.now()
    with transaction.atomic():
        # Exists, not a join with DISTINCT: PostgreSQL refuses FOR UPDATE with DISTINCT. Only the lists are locked.
        has_entries = Exists(PreferenceEntry.objects.filter(preference_list=OuterRef("pk")))
        drafts = list(PreferenceList.objects.select_for_update(of=("self",)).filter(
            has_entries, candidate__cycle=cycle, submitted_at__isnull=True,
        ).select_related("candidate").prefetch_related("entries__office"))
        for preference_list in drafts:
            codes = [entry.office.code for entry in sorted(preference_list.entries.all(), key=lambda e: e.position)]
            preference_list.submitted_at = submitted_at
            preference_list.submitted_sha256 = preference_list_hash(codes)
            preference_list.submitted_automatically = True
            # One short UPDATE per list: bulk_update's CASE over thousands of rows is far slower on SQLite.
            PreferenceList.objects.filter(pk=preference_list.pk).update(
                submitted_at=submitted_at, submitted_sha256=preference_list.submitted_sha256,
                submitted_automatically=True)
        # The deadline submits these lists, not whoever's request happened to come first after it.
        with as_system():
            for preference_list in drafts:
                audit_event(preference_list, "preference_list.submitted_automatically",
                            sha256=preference_list.submitted_sha256, deadline=submitted_at)
        ids = [preference_list.pk for preference_list in drafts]
        size = settings.EMAIL_BATCH_SIZE
        for start in range(0, len(ids), size):
            enqueue("placement.tasks.preference_lists_auto_submitted_notify_task", ids[start:start + size])
    return len(drafts)


def preference_lists_auto_submitted_notify(*, preference_list_ids: list[int]) -> int:
    """Email each candidate whose list was submitted for them at the deadline its receipt; return the number sent.

    Each receipt is claimed before it is sent (the list's submitted hash is recorded as emailed), so running the
    task twice, or two workers at once, emails it once; a send that fails gives the claim back for a retry.
    """
    preference_lists = (PreferenceList.objects.filter(pk__in=preference_list_ids, submitted_automatically=True)
                        .exclude(receipt_sent_sha256=F("submitted_sha256"))
                        .select_related("candidate__cycle").prefetch_related("entries__office").order_by("pk"))
    sent = 0
    connection = get_connection()
    with translation.override(settings.LANGUAGE_CODE):
        for preference_list in preference_lists:
            claimed = PreferenceList.objects.filter(pk=preference_list.pk).exclude(
                receipt_sent_sha256=F("submitted_sha256")).update(receipt_sent_sha256=F("submitted_sha256"))
            if not claimed:
                continue
            offices = [entry.office for entry in sorted(preference_list.entries.all(), key=lambda e: e.position)]
            context = {"preference_list": preference_list, "candidate": preference_list.candidate,
                       "offices": offices, "site_url": settings.SITE_URL}
            message = EmailMessage(
                render_to_string("placement/email/auto_submitted_subject.txt", context).strip(),
                render_to_string("placement/email/auto_submitted_body.txt", context),
                to=[preference_list.candidate.email], connection=connection,
            )
            try:
                sent += message.send()
            except Exception:
                PreferenceList.objects.filter(pk=preference_list.pk).update(receipt_sent_sha256="")
                raise
    return sent
