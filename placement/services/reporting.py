"""After publication: placed candidates report for duty, decline or ask to defer; offices report late vacancies.

Every placed candidate of the publication in force has one PlaceResponse. It starts pending and takes one decision
only: confirmed, declined, or a deferral request that examination staff approve (deferred) or refuse (pending
again, to confirm or decline). A response still pending when the cycle's report-by time passes lapses, after a
reminder. Declined, deferred and lapsed places free their seats for the supplementary rounds, as do approved late
vacancies.
"""
import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import formats, translation
from django.utils.translation import gettext as _

from core import clock
from core.audit import audit_event

from ..models import Assignment, ExamCycle, LandOffice, LateVacancy, PlaceResponse, Publication, Vacancy
from .common import PlacementError

logger = logging.getLogger(__name__)

ANSWERED = frozenset({PlaceResponse.State.CONFIRMED, PlaceResponse.State.DECLINED,
                      PlaceResponse.State.DEFERRAL_REQUESTED, PlaceResponse.State.DEFERRED,
                      PlaceResponse.State.LAPSED})


def place_responses_open(*, publication: Publication) -> int:
    """Give every candidate the publication placed a pending response; return how many were created."""
    placed = Assignment.objects.filter(run=publication.run_id, office__isnull=False).exclude(response__isnull=False)
    rows = [PlaceResponse(assignment=assignment, cycle_id=publication.cycle_id, candidate_id=assignment.candidate_id,
                          office_id=assignment.office_id) for assignment in placed]
    PlaceResponse.objects.bulk_create(rows)
    return len(rows)


def _locked(response: PlaceResponse) -> PlaceResponse:
    # Only the response row is locked: PostgreSQL refuses FOR UPDATE on the nullable side of the join to the user.
    responses = PlaceResponse.objects.select_for_update(of=("self",))
    return responses.select_related("cycle", "candidate__user", "office").get(pk=response.pk)


def _when(moment) -> str:
    return formats.date_format(moment, "SHORT_DATETIME_FORMAT")


def _require_open(response: PlaceResponse) -> None:
    deadline = response.cycle.report_by
    if deadline is not None and clock.now() >= deadline:
        raise PlacementError(_("The deadline to answer (%(deadline)s) has passed: the place can no longer be "
                               "confirmed, declined or deferred.") % {"deadline": _when(deadline)})
    if response.state != PlaceResponse.State.PENDING:
        raise PlacementError(_("This place is already answered (%(state)s); a place takes one decision only.")
                             % {"state": response.get_state_display()})


def _require_candidate(response: PlaceResponse, acting_user) -> None:
    if response.candidate.user_id != acting_user.pk:
        raise PlacementError(_("Only the candidate placed here can answer for this place."))


def _answer(response: PlaceResponse, state: str, *, acting_user, event: str, **values) -> PlaceResponse:
    old = response.state
    response.state, response.responded_at = state, clock.now()
    for name, value in values.items():
        setattr(response, name, value)
    response.save()
    audit_event(response, event, actor=acting_user, candidate=response.candidate_id, office=response.office_id,
                changes={"state": [old, state], **{name: ["", value] for name, value in values.items() if value}})
    return response


def place_confirm(*, response: PlaceResponse, acting_user) -> PlaceResponse:
    """Confirm that the candidate will report for duty at the office."""
    with transaction.atomic():
        response = _locked(response)
        _require_candidate(response, acting_user)
        _require_open(response)
        return _answer(response, PlaceResponse.State.CONFIRMED, acting_user=acting_user, event="place.confirmed")


def place_decline(*, response: PlaceResponse, reason: str, acting_user) -> PlaceResponse:
    """Give up the place, with a reason; the seat goes to the supplementary round."""
    reason = reason.strip()
    if not reason:
        raise PlacementError(_("Say why you decline the place; the office and the examination staff read it."))
    with transaction.atomic():
        response = _locked(response)
        _require_candidate(response, acting_user)
        _require_open(response)
        return _answer(response, PlaceResponse.State.DECLINED, acting_user=acting_user, event="place.declined",
                       reason=reason)


def place_deferral_request(*, response: PlaceResponse, deferral_reason: str, reason: str, evidence_files=(),
                           acting_user) -> PlaceResponse:
    """Ask to defer training (保留受訓資格) with a reason and evidence files; examination staff decide."""
    from media_pipeline.services.evidence import evidence_add
    from media_pipeline.services.shared import MediaError

    reason = reason.strip()
    if deferral_reason not in PlaceResponse.DeferralReason.values:
        raise PlacementError(_("Choose why you ask to defer."))
    if not reason:
        raise PlacementError(_("Explain the request; the examination staff decide on what you write and attach."))
    evidence_files = list(evidence_files)
    if not evidence_files:
        raise PlacementError(_("Attach the evidence for your request, such as a conscription notice or a "
                               "medical certificate."))
    with transaction.atomic():
        response = _locked(response)
        _require_candidate(response, acting_user)
        _require_open(response)
        stored = []
        try:
            for uploaded in evidence_files:
                # The submissions deadline guards the focus groups' evidence, not this request; hence for_reply.
                stored.append(evidence_add(
                    candidate=response.candidate, uploaded_file=uploaded, acting_user=acting_user,
                    title=_("Deferral evidence: %(name)s") % {"name": uploaded.name}, for_reply=True))
        except MediaError as error:
            raise PlacementError(str(error)) from error
        response.evidence.add(*stored)
        return _answer(response, PlaceResponse.State.DEFERRAL_REQUESTED, acting_user=acting_user,
                       event="place.deferral_requested", reason=reason, deferral_reason=deferral_reason)


def place_deferral_decide(*, response: PlaceResponse, approve: bool, decision_reason: str,
                          acting_user) -> PlaceResponse:
    """Approve a deferral (the seat is freed and the candidate carries over) or refuse it (the candidate answers
    again); the decision, who made it and why are kept, and the candidate is told by email."""
    decision_reason = decision_reason.strip()
    if not decision_reason:
        raise PlacementError(_("Give the reason for the decision; the candidate reads it."))
    with transaction.atomic():
        response = _locked(response)
        if response.state != PlaceResponse.State.DEFERRAL_REQUESTED:
            raise PlacementError(_("This request is already decided, or there is no request to decide."))
        old = response.state
        response.state = PlaceResponse.State.DEFERRED if approve else PlaceResponse.State.PENDING
        response.decided_by, response.decided_at, response.decision_reason = acting_user, clock.now(), decision_reason
        response.save()
        audit_event(response, "place.deferral_approved" if approve else "place.deferral_refused", actor=acting_user,
                    candidate=response.candidate_id, office=response.office_id, reason=decision_reason,
                    changes={"state": [old, response.state]})
        transaction.on_commit(lambda: _tell_decision(response.pk))
    return response


def _address(response: PlaceResponse) -> str:
    """Return where the candidate is emailed: their account's address, else the one the exam record gives."""
    return (response.candidate.user.email if response.candidate.user_id else "") or response.candidate.email


def _tell_decision(response_id: int) -> None:
    response = PlaceResponse.objects.select_related("candidate__user", "office").get(pk=response_id)
    address = _address(response)
    # Users keep no language of their own; emails go in the platform's language, as the result notices do.
    with translation.override(settings.LANGUAGE_CODE):
        approved = response.state == PlaceResponse.State.DEFERRED
        subject = _("Your deferral request was approved") if approved else _("Your deferral request was refused")
        body = (_("Your request to defer your training at %(office)s was approved. Reason: %(reason)s")
                if approved else
                _("Your request to defer your training at %(office)s was refused. Reason: %(reason)s\n"
                  "Confirm or decline the place on the platform before the deadline."))
        try:
            send_mail(subject, body % {"office": response.office.name, "reason": response.decision_reason},
                      None, [address])
        except Exception:  # A lost email must not undo the decision; it is logged for the staff to follow up.
            logger.exception("Could not email deferral decision %s", response_id)


def place_responses_lapse_due(*, cycle: ExamCycle) -> int:
    """Mark the places still pending at the report-by time as not taken; return how many."""
    if cycle.report_by is None or clock.now() < cycle.report_by:
        return 0
    count = 0
    with transaction.atomic():
        for response in PlaceResponse.objects.select_for_update().filter(cycle=cycle,
                                                                         state=PlaceResponse.State.PENDING):
            response.state = PlaceResponse.State.LAPSED
            response.save(update_fields=["state"])
            audit_event(response, "place.lapsed", candidate=response.candidate_id, office=response.office_id,
                        changes={"state": [PlaceResponse.State.PENDING, PlaceResponse.State.LAPSED]})
            count += 1
    return count


def place_responses_remind_due(*, cycle: ExamCycle, hours: int = 48) -> int:
    """Email once each candidate whose place is still pending when the report-by time is near; return how many."""
    if cycle.report_by is None or not (cycle.report_by - timedelta(hours=hours) <= clock.now() < cycle.report_by):
        return 0
    sent = 0
    due = PlaceResponse.objects.filter(cycle=cycle, state=PlaceResponse.State.PENDING, reminded_at__isnull=True)
    for response_id in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            # Claimed before sending, so a second run never sends the reminder again.
            claimed = PlaceResponse.objects.filter(pk=response_id, reminded_at__isnull=True).update(
                reminded_at=clock.now())
        if not claimed:
            continue
        response = PlaceResponse.objects.select_related("candidate__user", "office").get(pk=response_id)
        address = _address(response)
        try:
            send_mail(_("Answer your placement by %(deadline)s") % {"deadline": _when(cycle.report_by)},
                      _("You are placed at %(office)s. Confirm, decline or ask to defer on the platform before "
                        "%(deadline)s, or the place is not taken.") % {"office": response.office.name,
                                                                       "deadline": _when(cycle.report_by)},
                      None, [address])
            sent += 1
        except Exception:  # Released so that the next run tries again.
            PlaceResponse.objects.filter(pk=response_id).update(reminded_at=None)
            logger.exception("Could not send the report-by reminder %s", response_id)
    return sent


# ---- Late vacancies ---------------------------------------------------------------------------------------------

def late_vacancy_report(*, cycle: ExamCycle, office: LandOffice, seats: int, reason: str, acting_user) -> LateVacancy:
    """Report new seats at an office of the cycle after the run; examination staff approve them."""
    reason = reason.strip()
    if not reason:
        raise PlacementError(_("Say why the seats are new, for example a retirement or a transfer."))
    if not isinstance(seats, int) or not 1 <= seats <= 50:
        raise PlacementError(_("Report from 1 to 50 seats."))
    if not Vacancy.objects.filter(cycle=cycle, office=office).exists():
        raise PlacementError(_("%(office)s takes no part in this cycle, so it cannot report a late vacancy in it.")
                             % {"office": office.name})
    if not cycle.publications.exists():
        raise PlacementError(_("Late vacancies are reported after the placement is published; until then, change "
                               "the office's vacancies."))
    with transaction.atomic():
        late = LateVacancy.objects.create(cycle=cycle, office=office, seats=seats, reason=reason,
                                          reported_by=acting_user, reported_at=clock.now())
        audit_event(late, "late_vacancy.reported", actor=acting_user, office=office.pk, seats=seats, reason=reason)
    return late


def late_vacancy_decide(*, late: LateVacancy, approve: bool, decision_reason: str, acting_user) -> LateVacancy:
    decision_reason = decision_reason.strip()
    if not approve and not decision_reason:
        raise PlacementError(_("Give the reason for refusing; the office reads it."))
    with transaction.atomic():
        late = LateVacancy.objects.select_for_update().get(pk=late.pk)
        if late.state != LateVacancy.State.PENDING:
            raise PlacementError(_("This late vacancy is already decided."))
        old = late.state
        late.state = LateVacancy.State.APPROVED if approve else LateVacancy.State.REFUSED
        late.decided_by, late.decided_at, late.decision_reason = acting_user, clock.now(), decision_reason
        late.save()
        audit_event(late, "late_vacancy.approved" if approve else "late_vacancy.refused", actor=acting_user,
                    office=late.office_id, seats=late.seats, reason=decision_reason,
                    changes={"state": [old, late.state]})
    return late
