"""Every URL, filled with real objects of the other tenant, refuses each principal and changes nothing.

The access-table walk (tests/accounts/test_access_table.py) checks roles with ids that match no row. This walk
fills each placeholder with an object that exists but belongs to office B or to candidate 2, and requests it with
every HTTP method as candidate 1, as office A's staff and as a member of office A's focus group. Each answer must
be a refusal (403, 404 or 405) and no row of the project's tables may change.
"""
import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.urlwalk import iter_endpoints
from tests.security.conftest import project_rows, rows_changed, signed_in

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")
REFUSALS = {403, 404, 405}
PRINCIPALS = ("candidate_1", "office_a_staff", "office_a_member")


def _own_group(w):
    return w.a.objects["group"].pk


def _foreign_group(w):
    return w.b.objects["group"].pk


def _candidate_2(w):
    return w.b.candidate.pk


def _group_and_candidate(w):
    """Office B's group with its candidate, and office A's own group with candidate 2, who is not on its roster."""
    return [{"pk": _foreign_group(w), "candidate_id": _candidate_2(w)},
            {"pk": _own_group(w), "candidate_id": _candidate_2(w)}]


def _videos(w):
    """Candidate 2's video and office B's video."""
    return [{"pk": w.b.objects["candidate_video"].pk}, {"pk": w.b.objects["office_video"].pk}]


def _uploads(w):
    """Candidate 2's and office B's uploads that wait for their file."""
    return [{"pk": w.b.objects["candidate_upload"].pk}, {"pk": w.b.objects["office_upload"].pk}]


def _candidate_2_export(w):
    """A finished archive of candidate 2's data."""
    from core import clock
    from privacy.models import DataExport

    export, _created = DataExport.objects.get_or_create(
        candidate=w.b.candidate, defaults={"requested_at": clock.now(), "state": DataExport.State.READY,
                                           "file": "privacy/exports/candidate-2.zip", "size_bytes": 1})
    return [{"pk": export.pk}]


def _b_code(w):
    return [{"code": w.b.office.code}]


def _b_group(w):
    return [{"pk": _foreign_group(w)}]


# For each URL with placeholders: the kwargs, one dict per variant, that name objects of the other tenant. Office B
# and candidate 2 are foreign to all three principals: candidate 2 consents to and ranks office B only.
FOREIGN = {
    "focusgroups:group_start": lambda w: [{"office_id": w.b.office.pk}],
    "focusgroups:group_detail": _b_group,
    "focusgroups:members": _b_group,
    "focusgroups:member_remove": lambda w: [
        {"pk": _foreign_group(w), "member_id": w.b.objects["member_row"].pk},
        {"pk": _own_group(w), "member_id": w.b.objects["member_row"].pk}],
    "focusgroups:rubric": _b_group,
    "focusgroups:sessions": _b_group,
    "focusgroups:session_edit": lambda w: [
        {"pk": _foreign_group(w), "session_id": w.b.objects["session"].pk},
        {"pk": _own_group(w), "session_id": w.b.objects["session"].pk}],
    "focusgroups:session_cancel": lambda w: [
        {"pk": _foreign_group(w), "session_id": w.b.objects["session"].pk},
        {"pk": _own_group(w), "session_id": w.b.objects["session"].pk}],
    "focusgroups:roster": _b_group,
    "focusgroups:scoring_open": _b_group,
    "focusgroups:scoring_close": _b_group,
    "focusgroups:score_list": _b_group,
    "focusgroups:score_candidate": _group_and_candidate,
    "focusgroups:score_submit": _group_and_candidate,
    "focusgroups:note_add": _group_and_candidate,
    "focusgroups:note_remove": lambda w: [
        {"pk": _foreign_group(w), "note_id": w.b.objects["note"].pk},
        {"pk": _own_group(w), "note_id": w.b.objects["note"].pk}],
    "focusgroups:results": _b_group,
    "focusgroups:result_detail": _group_and_candidate,
    "focusgroups:outcome_adjust": _group_and_candidate,
    "focusgroups:submission_reopen": _group_and_candidate,
    "focusgroups:finalise": _b_group,
    "focusgroups:record": _b_group,
    "focusgroups:history": _b_group,
    "focusgroups:record_export": lambda w: [{"pk": _foreign_group(w), "fmt": "csv"}],
    "focusgroups:question_ask": _group_and_candidate,
    "focusgroups:question_thread": lambda w: [{"question_id": w.b.objects["candidate_question"].pk}],
    "focusgroups:candidate_question": lambda w: [{"question_id": w.b.objects["candidate_question"].pk}],
    "portfolios:video_describe": lambda w: [{"video_id": w.b.objects["candidate_video"].pk}],
    "portfolios:video_evidence_add": lambda w: [{"video_id": w.b.objects["candidate_video"].pk}],
    "portfolios:consent_withdraw": lambda w: [{"office_id": w.b.office.pk}],
    "portfolios:office_portfolios": lambda w: [{"office_id": w.b.office.pk}],
    "portfolios:office_portfolio": lambda w: [
        {"office_id": w.b.office.pk, "candidate_id": _candidate_2(w)},
        {"office_id": w.a.office.pk, "candidate_id": _candidate_2(w)}],
    "practice:office_bank": _b_code,
    "practice:question_add": _b_code,
    "practice:task_add": _b_code,
    "practice:bank_import": _b_code,
    "practice:bank_export": _b_code,
    "practice:question_edit": lambda w: [{"pk": w.b.objects["question"].pk}],
    "practice:question_remove": lambda w: [{"pk": w.b.objects["question"].pk}],
    "practice:task_edit": lambda w: [{"pk": w.b.objects["published_task"].pk},
                                     {"pk": w.b.objects["unpublished_task"].pk}],
    "practice:task_remove": lambda w: [{"pk": w.b.objects["published_task"].pk},
                                       {"pk": w.b.objects["unpublished_task"].pk}],
    # A published task's attachment is office information for everyone signed in; a draft's is not.
    "practice:task_attachment": lambda w: [{"pk": w.b.objects["unpublished_task"].pk}],
    "practice:office_task_answers": _b_code,
    "practice:attempt_detail": lambda w: [{"pk": w.b.objects["attempt"].pk}],
    "practice:task_detail": lambda w: [{"pk": w.b.objects["unpublished_task"].pk}],
    "practice:answer_file": lambda w: [{"pk": w.b.objects["answer_file"].pk}],
    # Office B's profile is not published, so even its page for exam passers is not there.
    "offices:public_profile": _b_code,
    "offices:profile_detail": _b_code,
    "offices:profile_edit": _b_code,
    "offices:profile_publish": _b_code,
    "offices:profile_unpublish": _b_code,
    "offices:profile_history": _b_code,
    "media_pipeline:office_videos": lambda w: [{"office_id": w.b.office.pk}],
    "media_pipeline:office_video_add_link": lambda w: [{"office_id": w.b.office.pk}],
    "media_pipeline:office_video_upload_start": lambda w: [{"office_id": w.b.office.pk}],
    # Office videos are watched by everyone signed in; a candidate's only by them and the groups they consent to.
    "media_pipeline:video_detail": lambda w: [{"pk": w.b.objects["candidate_video"].pk}],
    "media_pipeline:video_remove": _videos,
    "media_pipeline:video_publish": _videos,
    "media_pipeline:video_recheck": _videos,
    "media_pipeline:video_upload_local": _uploads,
    "media_pipeline:video_upload_finish": _uploads,
    "media_pipeline:video_file": lambda w: [{"pk": w.b.objects["candidate_video"].pk},
                                            {"pk": w.b.objects["candidate_upload"].pk}],
    "media_pipeline:video_thumbnail": lambda w: [{"pk": w.b.objects["candidate_video"].pk}],
    "media_pipeline:evidence_file": lambda w: [{"pk": w.b.objects["evidence"].pk}],
    "media_pipeline:evidence_remove": lambda w: [{"pk": w.b.objects["evidence"].pk}],
    "media_pipeline:evidence_attach": lambda w: [{"pk": w.b.objects["evidence"].pk}],
    "placement:office_placements": _b_code,
    "placement:late_vacancy_report": _b_code,
    "placement:candidate_detail": lambda w: [{"pk": _candidate_2(w)}, {"pk": w.b.objects["past_candidate"].pk}],
    "placement:candidate_result": lambda w: [{"pk": w.b.objects["past_candidate"].pk}],
    "placement:place_answer": lambda w: [{"pk": w.b.objects["past_candidate"].pk}],
    # Pages of the examination staff only: the objects are the cycle's, and none of the principals may reach them.
    "placement:cycle_detail": lambda w: [{"pk": w.cycle.pk}],
    "placement:cycle_candidate_list": lambda w: [{"pk": w.cycle.pk}],
    # Who saw a candidate's data is for examination staff, not for the candidate themselves (candidate 1's own).
    "placement:candidate_access_log": lambda w: [{"pk": w.a.candidate.pk}, {"pk": _candidate_2(w)}],
    "placement:cycle_import": lambda w: [{"pk": w.cycle.pk, "kind": "candidates"}],
    "placement:cycle_import_template": lambda w: [{"pk": w.cycle.pk, "kind": "candidates"}],
    "placement:cycle_export": lambda w: [{"pk": w.cycle.pk, "kind": "candidates"}],
    "placement:run_list": lambda w: [{"pk": w.past_cycle.pk}],
    "placement:run_compare": lambda w: [{"pk": w.past_cycle.pk}],
    "placement:cycle_results": lambda w: [{"pk": w.past_cycle.pk}],
    "placement:run_detail": lambda w: [{"pk": w.run.pk}],
    "placement:run_publish": lambda w: [{"pk": w.run.pk}],
    "placement:run_publish_confirm": lambda w: [{"pk": w.run.pk}],
    "placement:run_cancel": lambda w: [{"pk": w.run.pk}],
    "placement:after_publication": lambda w: [{"pk": w.past_cycle.pk}],
    "placement:published_verify": lambda w: [{"pk": w.past_cycle.pk}],
    "placement:round_start": lambda w: [{"pk": w.past_cycle.pk}],
    "placement:outcomes": lambda w: [{"pk": w.past_cycle.pk}],
    "placement:outcomes_export": lambda w: [{"pk": w.past_cycle.pk, "kind": "outcomes", "fmt": "csv"}],
    "placement:deferral_decide": lambda w: [{"pk": w.b.objects["place_response"].pk}],
    "placement:late_vacancy_decide": lambda w: [{"pk": w.b.objects["late_vacancy"].pk}],
    # A candidate's data archive and its erasure answer to that candidate's own account only.
    "privacy:export_request": lambda w: [{"pk": _candidate_2(w)}, {"pk": w.b.objects["past_candidate"].pk}],
    "privacy:export_download": _candidate_2_export,
    "privacy:erase": lambda w: [{"pk": _candidate_2(w)}, {"pk": w.b.objects["past_candidate"].pk}],
    "accounts:invitation_resend": lambda w: [{"pk": w.invitation.pk}],
    "accounts:invitation_revoke": lambda w: [{"pk": w.invitation.pk}],
}

# URLs with placeholders that the walk does not fill, each with the reason. A new URL with a placeholder must be
# added to FOREIGN or here, or the walk fails.
SKIP = {
    # The Django back office answers superusers only; the access-table walk shows every other role is refused.
    "admin:*": "back office, superusers only",
    # An office's public facts and its published questions are for everyone; what a candidate does there (adding
    # the office to their list, starting a practice attempt) changes only the candidate's own rows.
    "placement:office_detail": "public facts of any office",
    "offices:preference_add": "adds a public office to the candidate's own list",
    "practice:office_practice": "an office's published questions are open to every candidate",
    # The secret in these URLs is the credential itself; whoever holds it may use it. Their own tests cover them.
    "accounts:invitation_accept": "the invitation token is the credential (tests/accounts/test_invitations.py)",
    "account_confirm_email": "the confirmation key is the credential",
    "account_reset_password_from_key": "the reset key is the credential",
}


def _skip_reason(key: str) -> str | None:
    namespace = key.partition(":")[0]
    return SKIP.get(key) or SKIP.get(f"{namespace}:*")


def _has_placeholder(endpoint) -> bool:
    return "<" in endpoint.route or "(?P" in endpoint.route


def _principal(world, name):
    return {"candidate_1": world.a.candidate.user, "office_a_staff": world.a.staff,
            "office_a_member": world.a.member}[name]


def _phase_for(world, key):
    # Each request meets the phase in which its writes are open, so a refusal cannot come from a closed phase.
    if key.startswith("focusgroups:"):
        world.phase_focus_groups()
    else:
        world.phase_submissions()


def test_every_url_with_a_placeholder_is_mapped_or_skipped():
    """A new URL that names an object needs a foreign object in the walk, or a reason not to have one."""
    unmapped = [endpoint.key for endpoint in iter_endpoints()
                if _has_placeholder(endpoint) and endpoint.key not in FOREIGN and _skip_reason(endpoint.key) is None]
    assert unmapped == []
    assert not set(FOREIGN) & set(SKIP)


def walk(world, user) -> tuple[list[str], int]:
    """Request every foreign URL with every method as the user; return the findings and the requests made."""
    client = signed_in(user)
    findings, requests = [], 0
    for endpoint in iter_endpoints():
        if endpoint.key not in FOREIGN:
            continue
        for kwargs in FOREIGN[endpoint.key](world):
            path = reverse(endpoint.key, kwargs=kwargs)
            _phase_for(world, endpoint.key)
            before = project_rows()
            for method in METHODS:
                # Rate limits count per user; each request starts below them, so a 429 cannot hide a hole.
                cache.clear()
                response = getattr(client, method)(path)
                requests += 1
                if response.status_code not in REFUSALS:
                    findings.append(f"{method.upper()} {path} ({endpoint.key}): {response.status_code}")
            if changed := rows_changed(before, project_rows()):
                findings.append(f"{path} ({endpoint.key}) changed {', '.join(changed)}")
    return findings, requests


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_no_principal_reaches_or_changes_the_other_tenants_objects(world, principal):
    """Every method on every foreign object answers 403, 404 or 405, and no row changes."""
    findings, requests = walk(world, _principal(world, principal))
    print(f"\n{principal}: {requests} requests to the other tenant's objects, {len(findings)} answered")
    assert findings == []
    assert requests > 500


def test_the_walk_reaches_its_own_tenants_objects(world):
    """The same kind of URL with office A's own objects is reached, so the refusals above are about the tenant."""
    assert signed_in(world.a.staff).get(reverse("offices:profile_edit", kwargs={"code": world.a.office.code})
                                        ).status_code == 200
    assert signed_in(world.a.candidate.user).get(reverse(
        "media_pipeline:video_detail", kwargs={"pk": world.a.objects["candidate_video"].pk})).status_code == 200
    world.phase_focus_groups()
    assert signed_in(world.a.member).get(reverse("focusgroups:score_candidate", kwargs={
        "pk": world.a.objects["group"].pk, "candidate_id": world.a.candidate.pk})).status_code == 200
