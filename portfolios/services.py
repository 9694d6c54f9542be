"""Writes of the portfolio: the summary, video descriptions, consent for offices, and focus groups' visits.

Each write records its entry in the audit history inside its own transaction (core.audit).
"""
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import clock
from core.audit import audit_event
from placement import selectors as placement_selectors
from placement.models import Candidate, LandOffice
from placement.phases import submissions_open

from .models import Portfolio, PortfolioConsent, PortfolioVisit, ProcedureStep, VideoDescription
from .timecodes import format_timecode, within_duration

SUBMISSIONS_CLOSED_FOR_EDITING = gettext_lazy(
    "Your submissions are closed: the focus groups are evaluating what you submitted, so your portfolio can no "
    "longer be changed."
)
DESCRIPTION_FIELDS = ("terrain", "instrument_make", "instrument_model", "weather", "visibility", "shows")


class PortfolioError(Exception):
    """A change to a portfolio that cannot be made; the message tells the candidate why, and nothing is saved."""


@dataclass(frozen=True)
class Step:
    """One step of a procedure as the candidate typed it; `at_seconds` is its time in the video, if given."""

    text: str
    at_seconds: int | None = None


def _require_editable(candidate: Candidate) -> None:
    # The same gate as adding or removing videos and evidence: once the focus groups evaluate, nothing changes.
    if not submissions_open(candidate.cycle):
        raise PortfolioError(str(SUBMISSIONS_CLOSED_FOR_EDITING))


def _portfolio_locked(candidate: Candidate) -> Portfolio:
    portfolio, _created = Portfolio.objects.select_for_update().get_or_create(candidate=candidate)
    return portfolio


def portfolio_summary_set(*, candidate: Candidate, summary: str, acting_user) -> Portfolio:
    """Replace the summary of a candidate's portfolio as a whole."""
    _require_editable(candidate)
    summary = summary.strip()
    with transaction.atomic():
        portfolio = _portfolio_locked(candidate)
        if portfolio.summary == summary:
            return portfolio
        old = portfolio.summary
        portfolio.summary = summary
        portfolio.updated_at = clock.now()
        portfolio.save(update_fields=["summary", "updated_at"])
        audit_event(portfolio, "portfolio.summary_changed", actor=acting_user, changes={"summary": [old, summary]},
                    candidate=candidate.pk)
    return portfolio


def video_description_save(*, video, terrain: str, instrument_make: str, instrument_model: str, weather: str,
                           visibility: str, shows: str, steps: list[Step], acting_user) -> VideoDescription:
    """Save the description of a candidate's video with its procedure steps in order, replacing the previous one."""
    candidate = video.candidate
    if candidate is None:
        raise ValueError("Only a candidate's demonstration video has a portfolio description.")
    _require_editable(candidate)
    if not steps:
        raise PortfolioError(_("Describe at least one step of the procedure."))
    for step in steps:
        if step.at_seconds is not None and not within_duration(step.at_seconds, video.duration_seconds):
            raise PortfolioError(_("The time %(time)s is after the end of the video (%(duration)s).") % {
                "time": format_timecode(step.at_seconds), "duration": format_timecode(video.duration_seconds)})
    values = {"terrain": terrain, "instrument_make": instrument_make.strip(),
              "instrument_model": instrument_model.strip(), "weather": weather.strip(),
              "visibility": visibility.strip(), "shows": shows.strip()}
    new_steps = [[step.text.strip(), step.at_seconds] for step in steps]
    with transaction.atomic():
        description = VideoDescription.objects.select_for_update().filter(video=video).first()
        created = description is None
        if created:
            old_values, old_steps = dict.fromkeys(DESCRIPTION_FIELDS, ""), []
            description = VideoDescription.objects.create(video=video, updated_at=clock.now(), **values)
        else:
            old_values = {name: getattr(description, name) for name in DESCRIPTION_FIELDS}
            old_steps = [[text, at] for text, at in description.steps.order_by("position")
                         .values_list("text", "at_seconds")]
        changes = {name: [old_values[name], value] for name, value in values.items() if old_values[name] != value}
        if old_steps != new_steps:
            changes["steps"] = [old_steps, new_steps]
        if not changes:
            return description
        if not created:
            for name, value in values.items():
                setattr(description, name, value)
            description.updated_at = clock.now()
            description.save()
        if "steps" in changes:
            description.steps.all().delete()
            ProcedureStep.objects.bulk_create(
                ProcedureStep(description=description, position=position, text=text, at_seconds=at_seconds)
                for position, (text, at_seconds) in enumerate(new_steps, start=1)
            )
        audit_event(description, "video_description.created" if created else "video_description.changed",
                    actor=acting_user, changes=changes, video=video.pk, candidate=candidate.pk)
    return description


def portfolio_consent_set(*, candidate: Candidate, office_ids, acting_user) -> None:
    """Make the given offices exactly those whose focus groups may see the candidate's portfolio.

    Consent may change at any time, also after the submissions deadline: it is the candidate's to give and take
    back. The first choice ends the default rule (the offices on the preference list count as consented until
    then); its entry names those offices, so the history says what the default had allowed.
    """
    wanted = set(office_ids)
    with transaction.atomic():
        portfolio = _portfolio_locked(candidate)
        now = clock.now()
        rows = {row.office_id: row for row in PortfolioConsent.objects.select_for_update().filter(candidate=candidate)}
        for office_id in sorted(wanted):
            row = rows.get(office_id)
            if row is None:
                row = PortfolioConsent.objects.create(candidate=candidate, office_id=office_id, granted_at=now)
                audit_event(row, "portfolio_consent.granted", actor=acting_user,
                            changes={"granted_at": [None, now]}, candidate=candidate.pk, office=office_id)
            elif not row.in_force:
                changes = {"granted_at": [row.granted_at, now], "withdrawn_at": [row.withdrawn_at, None]}
                row.granted_at, row.withdrawn_at = now, None
                row.save(update_fields=["granted_at", "withdrawn_at"])
                audit_event(row, "portfolio_consent.granted", actor=acting_user, changes=changes,
                            candidate=candidate.pk, office=office_id)
        for office_id, row in sorted(rows.items()):
            if office_id not in wanted and row.in_force:
                row.withdrawn_at = now
                row.save(update_fields=["withdrawn_at"])
                audit_event(row, "portfolio_consent.withdrawn", actor=acting_user,
                            changes={"withdrawn_at": [None, now]}, candidate=candidate.pk, office=office_id)
        if portfolio.consent_chosen_at is None:
            default_office_ids = placement_selectors.preference_office_ids(candidate=candidate)
            portfolio.consent_chosen_at = now
            portfolio.save(update_fields=["consent_chosen_at"])
            audit_event(portfolio, "portfolio.consent_chosen", actor=acting_user,
                        changes={"consent_chosen_at": [None, now]}, candidate=candidate.pk,
                        default_offices=sorted(default_office_ids), offices=sorted(wanted))


def portfolio_visit_record(*, candidate: Candidate, office: LandOffice, viewer) -> PortfolioVisit:
    """Record that a focus group member or leader of an office opened a candidate's portfolio."""
    with transaction.atomic():
        visit, _created = PortfolioVisit.objects.update_or_create(
            candidate=candidate, office=office, defaults={"last_viewed_at": clock.now(), "last_viewed_by": viewer})
        audit_event(visit, "portfolio_visit.recorded", actor=viewer, candidate=candidate.pk, office=office.pk)
    return visit
