"""The leader sets the group up: the group itself, its members, rubric, sessions and roster, then opens scoring."""
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Invitation, User
from accounts.roles import Role
from accounts.scopes import user_holds_role_at
from accounts.services import InvitationError, invitation_create
from core import clock
from core.audit import audit_event
from placement.models import Candidate, ExamCycle, LandOffice
from portfolios.selectors import consenting_candidate_ids

from ..models import Criterion, FocusGroup, Member, RosterEntry, Session
from ..rubric_template import DEFAULT_RUBRIC
from .shared import (
    FocusGroupError,
    group_touch,
    require_group_phase,
    require_not_finalised,
    require_state,
    require_version,
)

MAX_CRITERIA = 12


def _locked(group: FocusGroup) -> FocusGroup:
    return FocusGroup.objects.select_for_update().select_related("office", "cycle").get(pk=group.pk)


# ---- The group --------------------------------------------------------------------------------------------------

def focus_group_create(*, office: LandOffice, cycle: ExamCycle, leader: User) -> FocusGroup:
    """Start an office's group for a cycle with the default rubric; the leader is its first member."""
    if not user_holds_role_at(leader, Role.FOCUS_GROUP_LEADER, office.pk):
        raise FocusGroupError(_("Only the office's focus group leader can start its focus group."))
    with transaction.atomic():
        existing = FocusGroup.objects.select_for_update().filter(office=office, cycle=cycle).first()
        if existing is not None:
            return existing
        group = FocusGroup(office=office, cycle=cycle, leader=leader, created_at=clock.now())
        require_group_phase(group)
        group.save()
        Member.objects.create(group=group, user=leader, email=leader.email, added_at=group.created_at)
        Criterion.objects.bulk_create(
            Criterion(group=group, position=position, name=item.name, name_en=item.name_en,
                      weight=Decimal(item.weight), levels=list(item.levels), levels_en=list(item.levels_en))
            for position, item in enumerate(DEFAULT_RUBRIC, start=1)
        )
        audit_event(group, "focus_group.created", actor=leader, office=office.pk, cycle=cycle.pk,
                    criteria=[item.name for item in DEFAULT_RUBRIC])
    return group


# ---- Members ----------------------------------------------------------------------------------------------------

def member_add(*, group: FocusGroup, email: str, acting_user) -> Member:
    """Add a member by email: an account of this office joins at once; anyone else is invited to the office."""
    email = email.strip().lower()
    with transaction.atomic():
        group = _locked(group)
        require_group_phase(group)
        require_not_finalised(group)
        member = Member.objects.select_for_update().filter(group=group, email=email).first()
        if member is not None and member.removed_at is None:
            raise FocusGroupError(_("%(email)s is already a member of this focus group.") % {"email": email})
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        invitation = None
        if user is not None:
            if not (user_holds_role_at(user, Role.FOCUS_GROUP_MEMBER, group.office_id)
                    or user_holds_role_at(user, Role.FOCUS_GROUP_LEADER, group.office_id)):
                raise FocusGroupError(_(
                    "%(email)s has an account but is not a focus group member at %(office)s. Ask the examination "
                    "staff to give them that role, then add them again.") % {"email": email,
                                                                            "office": group.office.name})
        else:
            try:
                invitation = invitation_create(email=email, role=Role.FOCUS_GROUP_MEMBER, invited_by=acting_user,
                                               office=group.office)
            except InvitationError as error:
                raise FocusGroupError(str(error)) from error
        now = clock.now()
        if member is None:
            member = Member.objects.create(group=group, user=user, invitation=invitation, email=email, added_at=now)
        else:
            member.user, member.invitation, member.added_at, member.removed_at = user, invitation, now, None
            member.save(update_fields=["user", "invitation", "added_at", "removed_at"])
        audit_event(group, "focus_group.member_added", actor=acting_user, changes={"members": [None, email]},
                    member=member.pk, invited=invitation is not None)
    return member


def member_remove(*, group: FocusGroup, member: Member, acting_user) -> None:
    """Take a member off the group; their submitted scores stay in the record, drafts stop counting."""
    with transaction.atomic():
        group = _locked(group)
        require_group_phase(group)
        require_not_finalised(group)
        if member.group_id != group.pk or member.removed_at is not None:
            raise FocusGroupError(_("That person is not a member of this focus group."))
        if member.user_id == group.leader_id:
            raise FocusGroupError(_("The leader stays a member of their own focus group."))
        member.removed_at = clock.now()
        member.save(update_fields=["removed_at"])
        audit_event(group, "focus_group.member_removed", actor=acting_user, changes={"members": [member.email, None]},
                    member=member.pk)


def members_join_on_invitation(*, invitation: Invitation, user: User) -> int:
    """Link the invited person's new account to the groups that invited them; return how many."""
    return Member.objects.filter(invitation=invitation, user__isnull=True).update(user=user)


# ---- Rubric -----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CriterionInput:
    name: str
    name_en: str
    weight: str
    levels: list[str]
    levels_en: list[str] = ()


def _criterion_checked(item: CriterionInput) -> tuple[str, str, Decimal, list[str], list[str]]:
    name = item.name.strip()
    if not name:
        raise FocusGroupError(_("Every criterion needs a name."))
    try:
        weight = Decimal(str(item.weight).strip())
    except InvalidOperation:
        weight = None
    if weight is None or not weight.is_finite() or weight <= 0 or weight >= 1000 or weight != weight.quantize(
            Decimal("0.01")):
        raise FocusGroupError(_("The weight of “%(name)s” must be a number above 0 with at most two decimals.")
                              % {"name": name})
    levels = [level.strip() for level in item.levels]
    if len(levels) != 5 or not all(levels):
        raise FocusGroupError(_("Describe each of the five levels of “%(name)s”.") % {"name": name})
    levels_en = [level.strip() for level in item.levels_en]
    if any(levels_en) and (len(levels_en) != 5 or not all(levels_en)):
        raise FocusGroupError(_("Give all five English level descriptions of “%(name)s”, or none.") % {"name": name})
    return name, item.name_en.strip(), weight, levels, levels_en if any(levels_en) else []


def rubric_replace(*, group: FocusGroup, criteria: list[CriterionInput], version: int | None, acting_user) -> None:
    """Replace the whole rubric in the given order; allowed only while the group is being set up."""
    checked = [_criterion_checked(item) for item in criteria]
    if not checked:
        raise FocusGroupError(_("The rubric needs at least one criterion."))
    if len(checked) > MAX_CRITERIA:
        raise FocusGroupError(_("A rubric has at most %(count)s criteria.") % {"count": MAX_CRITERIA})
    names = [name for name, *_rest in checked]
    if len(set(names)) != len(names):
        raise FocusGroupError(_("Two criteria have the same name."))
    with transaction.atomic():
        group = _locked(group)
        require_version(group, version)
        require_group_phase(group)
        require_state(group, {FocusGroup.State.SETUP},
                      _("Scoring has opened, so the rubric is locked: members are scoring against it."))
        old = [[c.name, c.name_en, str(c.weight), c.levels, c.levels_en] for c in group.criteria.order_by("position")]
        new = [[name, name_en, str(weight), levels, levels_en] for name, name_en, weight, levels, levels_en in checked]
        if old == new:
            return
        group.criteria.all().delete()
        Criterion.objects.bulk_create(
            Criterion(group=group, position=position, name=name, name_en=name_en, weight=weight, levels=levels,
                      levels_en=levels_en)
            for position, (name, name_en, weight, levels, levels_en) in enumerate(checked, start=1)
        )
        group_touch(group)
        audit_event(group, "focus_group.rubric_changed", actor=acting_user, changes={"rubric": [old, new]})


# ---- Sessions ---------------------------------------------------------------------------------------------------

def session_save(*, group: FocusGroup, session: Session | None, starts_at, duration_minutes: int, meeting_url: str,
                 agenda: str, acting_user) -> Session:
    """Schedule a session, or change one; past sessions keep their time so the record stays true."""
    # Members open the link from the group's pages, so only a web address is kept, whoever calls this.
    if urlsplit(meeting_url.strip()).scheme.lower() not in ("http", "https"):
        raise FocusGroupError(_("The meeting link must be a web address starting with https:// or http://."))
    with transaction.atomic():
        group = _locked(group)
        require_group_phase(group)
        require_not_finalised(group)
        values = {"starts_at": starts_at, "duration_minutes": duration_minutes, "meeting_url": meeting_url.strip(),
                  "agenda": agenda.strip()}
        if session is None:
            session = Session.objects.create(group=group, **values)
            audit_event(session, "focus_group_session.scheduled", actor=acting_user, group=group.pk,
                        changes={name: [None, value] for name, value in values.items()})
            return session
        if session.group_id != group.pk:
            raise FocusGroupError(_("That session belongs to another focus group."))
        changes = {name: [getattr(session, name), value] for name, value in values.items()
                   if getattr(session, name) != value}
        if changes:
            for name, value in values.items():
                setattr(session, name, value)
            session.save()
            audit_event(session, "focus_group_session.changed", actor=acting_user, group=group.pk, changes=changes)
    return session


def session_record(*, session: Session, minutes: str, attendee_ids: list[int], acting_user) -> Session:
    """Keep a session's minutes and who attended (members of the group only)."""
    group = session.group
    with transaction.atomic():
        group = _locked(group)
        require_group_phase(group)
        require_not_finalised(group)
        members = set(Member.objects.filter(group=group, pk__in=attendee_ids).values_list("pk", flat=True))
        if members != set(attendee_ids):
            raise FocusGroupError(_("Only members of this focus group can be marked as attending."))
        old_minutes = session.minutes
        old_attendees = sorted(session.attendees.values_list("pk", flat=True))
        session.minutes = minutes.strip()
        session.save(update_fields=["minutes"])
        session.attendees.set(members)
        changes = {}
        if old_minutes != session.minutes:
            changes["minutes"] = [old_minutes, session.minutes]
        if old_attendees != sorted(members):
            changes["attendees"] = [old_attendees, sorted(members)]
        if changes:
            audit_event(session, "focus_group_session.recorded", actor=acting_user, group=group.pk, changes=changes)
    return session


def session_cancel(*, session: Session, acting_user) -> None:
    group = session.group
    with transaction.atomic():
        group = _locked(group)
        require_group_phase(group)
        require_not_finalised(group)
        audit_event(group, "focus_group_session.cancelled", actor=acting_user, session=session.pk,
                    starts_at=session.starts_at.isoformat(), meeting_url=session.meeting_url)
        session.delete()


# ---- Roster and scoring -----------------------------------------------------------------------------------------

def roster_fix(*, group: FocusGroup, candidate_ids: list[int], version: int | None, acting_user) -> int:
    """Fix the roster to these candidates, each of whom must consent for the office; return how many."""
    wanted = set(candidate_ids)
    with transaction.atomic():
        group = _locked(group)
        require_version(group, version)
        require_group_phase(group)
        require_state(group, {FocusGroup.State.SETUP},
                      _("Scoring has opened, so the roster is fixed."))
        consenting = set(Candidate.objects.filter(cycle=group.cycle, pk__in=consenting_candidate_ids(
            [group.office_id])).filter(pk__in=wanted).values_list("pk", flat=True))
        if consenting != wanted:
            raise FocusGroupError(_("Only candidates of this cycle who consent for %(office)s can be on its roster.")
                                  % {"office": group.office.name})
        if not wanted:
            raise FocusGroupError(_("Choose at least one candidate for the roster."))
        old = sorted(group.roster.values_list("candidate_id", flat=True))
        now = clock.now()
        group.roster.exclude(candidate_id__in=wanted).delete()
        RosterEntry.objects.bulk_create(
            [RosterEntry(group=group, candidate_id=candidate_id, added_at=now)
             for candidate_id in sorted(wanted - set(old))])
        group.roster_fixed_at = now
        group_touch(group, "roster_fixed_at")
        audit_event(group, "focus_group.roster_fixed", actor=acting_user, changes={"roster": [old, sorted(wanted)]})
    return len(wanted)


def scoring_open(*, group: FocusGroup, version: int | None, acting_user) -> FocusGroup:
    """Open scoring: the rubric and the roster lock, and members may score."""
    with transaction.atomic():
        group = _locked(group)
        require_version(group, version)
        require_group_phase(group)
        require_state(group, {FocusGroup.State.SETUP}, _("Scoring is already open or over."))
        if not group.roster.exists():
            raise FocusGroupError(_("Fix the roster before opening scoring: there is nobody to score yet."))
        if not group.criteria.exists():
            raise FocusGroupError(_("The rubric needs at least one criterion."))
        group.state, group.scoring_opened_at = FocusGroup.State.SCORING, clock.now()
        group_touch(group, "state", "scoring_opened_at")
        audit_event(group, "focus_group.scoring_opened", actor=acting_user,
                    changes={"state": [FocusGroup.State.SETUP, FocusGroup.State.SCORING]})
    return group


def scoring_close(*, group: FocusGroup, version: int | None, acting_user) -> FocusGroup:
    """Close scoring before everyone has submitted; the leader then sees the aggregate."""
    with transaction.atomic():
        group = _locked(group)
        require_version(group, version)
        require_group_phase(group)
        require_state(group, {FocusGroup.State.SCORING}, _("Scoring is not open."))
        group.state, group.scoring_closed_at = FocusGroup.State.CLOSED, clock.now()
        group_touch(group, "state", "scoring_closed_at")
        audit_event(group, "focus_group.scoring_closed", actor=acting_user,
                    changes={"state": [FocusGroup.State.SCORING, FocusGroup.State.CLOSED]})
    return group
