"""focusgroups.scoring: weighted aggregation, severity correction, ranks and agreement, with no database.

The agreement statistics are checked against published figures and against two independent packages,
``krippendorff`` and ``pingouin``, on random tables drawn by Hypothesis.
"""

import math
import os
import subprocess
import sys
import warnings

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from focusgroups.scoring import (
    CriterionWeight,
    GroupResult,
    Score,
    aggregate,
    icc,
    krippendorff_alpha_ordinal,
    standardise_by_rater,
)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUBRIC = [CriterionWeight("field", 2), CriterionWeight("office", 1)]

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers, 12 units, values 1-5,
# None where an observer gave no value. Published alphas: nominal 0.743, ordinal 0.815, interval 0.849.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]

# Shrout & Fleiss (1979), Table 2: 6 targets rated by 4 judges. Published (Table 4): ICC(1,1) .17, ICC(2,1) .29,
# ICC(3,1) .71, ICC(1,4) .44, ICC(2,4) .62, ICC(3,4) .91.
SHROUT_FLEISS = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]


def scores_of(rows):
    """Return Scores from (rater, candidate, criterion, value) tuples."""
    return [Score(*row) for row in rows]


def units_of(matrix):
    """Return unit -> {rater: value} from a raters x units matrix with None for a missing value."""
    return {u: {r: row[u] for r, row in enumerate(matrix) if row[u] is not None} for u in range(len(matrix[0]))}


def test_scoring_does_not_import_django():
    """Importing focusgroups.scoring loads no Django module."""
    code = "import sys, focusgroups.scoring; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# Weighted scores


def test_weighted_score_skips_a_missing_rating_instead_of_counting_zero():
    """A missing rating leaves the criterion mean over the scores given, and is counted as missing."""
    # Field (weight 2): 4, 5, 3 -> mean 4. Office (weight 1): 2, -, 3 -> mean 2.5 (zeroing would give 5/3).
    # Weighted: (2 * 4 + 1 * 2.5) / 3 = 10.5 / 3 = 3.5.
    result = aggregate(RUBRIC, scores_of([
        ("r1", "ann", "field", 4), ("r2", "ann", "field", 5), ("r3", "ann", "field", 3),
        ("r1", "ann", "office", 2), ("r3", "ann", "office", 3),
    ]))
    ann = result.result_for("ann")
    assert ann.weighted == pytest.approx(3.5)
    assert ann.by_criterion == {"field": 4, "office": 2.5}
    assert (ann.raters, ann.ratings, ann.missing) == (3, 5, 1)
    assert ann.rank == 1


def test_weights_are_renormalised_over_the_criteria_that_were_scored():
    """A candidate scored on one criterion only gets that criterion's mean, not a share of it."""
    result = aggregate(RUBRIC, scores_of([("r1", "bob", "office", 4), ("r2", "bob", "office", 5)]))
    bob = result.result_for("bob")
    assert bob.weighted == pytest.approx(4.5)
    assert bob.by_criterion == {"field": None, "office": 4.5}


def test_missing_counts_the_full_member_list_and_rostered_candidates_without_scores():
    """Members who scored nobody still count as missing ratings; a rostered candidate with no score has no rank."""
    result = aggregate(RUBRIC, scores_of([("r1", "ann", "field", 4)]), raters=["r1", "r2", "r3"],
                       candidates=["ann", "cid"])
    assert result.result_for("ann").missing == 3 * 2 - 1
    cid = result.result_for("cid")
    assert (cid.weighted, cid.standardised, cid.rank, cid.ratings, cid.missing) == (None, None, None, 0, 6)
    assert [row.candidate for row in result.candidates] == ["ann", "cid"]
    assert result.result_for("nobody") is None


def test_ties_share_a_rank_and_the_next_rank_is_skipped():
    """Equal weighted scores share rank 1, the next candidate is third, and unscored candidates come last."""
    # pat: (2 * 5 + 1 * 2) / 3 = 4; quinn: (2 * 4 + 1 * 4) / 3 = 4; ray: (2 * 3 + 1 * 3) / 3 = 3.
    result = aggregate(RUBRIC, scores_of([
        ("r1", "quinn", "field", 4), ("r1", "quinn", "office", 4),
        ("r1", "pat", "field", 5), ("r1", "pat", "office", 2),
        ("r1", "ray", "field", 3), ("r1", "ray", "office", 3),
    ]), candidates=["sam"])
    assert [(row.candidate, row.rank) for row in result.candidates] == [
        ("pat", 1), ("quinn", 1), ("ray", 3), ("sam", None)]


def test_ties_survive_floating_point_noise():
    """Averages that are equal in exact arithmetic but not in floating point still tie."""
    thirds = [CriterionWeight(key, 0.1) for key in "abc"]
    result = aggregate(thirds, scores_of([
        ("r1", "x", "a", 1), ("r1", "x", "b", 2), ("r1", "x", "c", 3),
        ("r1", "y", "a", 3), ("r1", "y", "b", 2), ("r1", "y", "c", 1),
    ]))
    assert [row.rank for row in result.candidates] == [1, 1]


def test_harsh_and_lenient_raters_are_corrected_by_standardisation():
    """A harsh rater's best candidate outranks a lenient rater's worst once severity is corrected."""
    # Harsh h gave alice 3, x 1, y 2: mean 2, SD sqrt(2/3). Lenient l gave bob 4, u 5, w 5: mean 14/3, SD sqrt(2)/3.
    # Pooled over 3, 1, 2, 4, 5, 5: mean 10/3, SD sqrt(20/9).
    # alice: 10/3 + sqrt(20/9) * (3 - 2) / sqrt(2/3) = (10 + sqrt(30)) / 3 ~ 5.159
    # bob:   10/3 + sqrt(20/9) * (4 - 14/3) / (sqrt(2)/3) = (10 - 2 sqrt(10)) / 3 ~ 1.225
    one = [CriterionWeight("overall", 1)]
    result = aggregate(one, scores_of([
        ("h", "alice", "overall", 3), ("h", "x", "overall", 1), ("h", "y", "overall", 2),
        ("l", "bob", "overall", 4), ("l", "u", "overall", 5), ("l", "w", "overall", 5),
    ]))
    alice, bob = result.result_for("alice"), result.result_for("bob")
    assert bob.weighted > alice.weighted
    assert alice.standardised == pytest.approx((10 + math.sqrt(30)) / 3)
    assert bob.standardised == pytest.approx((10 - 2 * math.sqrt(10)) / 3)
    assert alice.standardised > bob.standardised


def test_standardise_maps_a_zero_variance_rater_to_the_pooled_mean():
    """A rater who gave every candidate the same score contributes the pooled mean."""
    corrected = standardise_by_rater(scores_of([
        ("same", "a", "k", 4), ("same", "b", "k", 4), ("varied", "a", "k", 1), ("varied", "b", "k", 3),
    ]))
    # Pooled mean of 4, 4, 1, 3 is 3.
    assert corrected[("same", "a", "k")] == pytest.approx(3)
    assert corrected[("same", "b", "k")] == pytest.approx(3)
    # varied: mean 2, SD 1; pooled SD sqrt(1.5) -> 3 -/+ sqrt(1.5).
    assert corrected[("varied", "a", "k")] == pytest.approx(3 - math.sqrt(1.5))
    assert corrected[("varied", "b", "k")] == pytest.approx(3 + math.sqrt(1.5))
    assert standardise_by_rater([]) == {}


# Disagreement


def test_spread_at_the_threshold_is_flagged_and_below_it_is_not():
    """Criteria whose scores differ by at least the threshold are flagged; smaller spreads are not."""
    rows = [("r1", "ann", "field", 2), ("r2", "ann", "field", 4), ("r1", "ann", "office", 3),
            ("r2", "ann", "office", 4)]
    ann = aggregate(RUBRIC, scores_of(rows)).result_for("ann")
    assert ann.spread == {"field": 2, "office": 1}
    assert ann.disagreement == ("field",)
    assert aggregate(RUBRIC, scores_of(rows), disagreement_spread=3).result_for("ann").disagreement == ()
    assert aggregate(RUBRIC, scores_of(rows), disagreement_spread=1).result_for("ann").disagreement == (
        "field", "office")


def test_a_single_score_has_no_spread():
    """One rater alone cannot disagree."""
    ann = aggregate(RUBRIC, scores_of([("r1", "ann", "field", 5)])).result_for("ann")
    assert ann.spread == {"field": 0, "office": 0}
    assert ann.disagreement == ()


# Bad input


@pytest.mark.parametrize("value", [0, 6, -1, 2.5, True, "3"])
def test_out_of_scale_score_is_rejected(value):
    """A score that is not a whole number from 1 to 5 raises ValueError naming the scale."""
    with pytest.raises(ValueError, match="from 1 to 5"):
        Score("r1", "ann", "field", value)


@pytest.mark.parametrize("weight", [0, -1, math.nan, math.inf])
def test_non_positive_weight_is_rejected(weight):
    """A weight that is not a positive number raises ValueError."""
    with pytest.raises(ValueError, match="above 0"):
        CriterionWeight("field", weight)


def test_duplicate_score_is_rejected():
    """Two scores by one rater for one candidate on one criterion raise ValueError."""
    with pytest.raises(ValueError, match="more than once"):
        aggregate(RUBRIC, scores_of([("r1", "ann", "field", 4), ("r1", "ann", "field", 5)]))


def test_unknown_criterion_is_rejected():
    """A score on a criterion outside the rubric raises ValueError naming it."""
    with pytest.raises(ValueError, match="unknown criterion 'charm'"):
        aggregate(RUBRIC, scores_of([("r1", "ann", "charm", 4)]))


def test_repeated_criterion_is_rejected():
    """A rubric that lists a criterion twice raises ValueError."""
    with pytest.raises(ValueError, match="appears twice"):
        aggregate([CriterionWeight("field", 1), CriterionWeight("field", 2)], [])


def test_score_by_a_rater_outside_the_member_list_is_rejected():
    """When the member list is given, a score by someone else raises ValueError."""
    with pytest.raises(ValueError, match="not in the raters given"):
        aggregate(RUBRIC, scores_of([("stranger", "ann", "field", 4)]), raters=["r1"])


def test_unknown_icc_form_is_rejected():
    """Asking for an ICC form that is not supported raises ValueError listing the forms."""
    with pytest.raises(ValueError, match="ICC\\(2,1\\)"):
        icc({}, form="ICC(4,1)")


# Krippendorff's alpha


def test_alpha_matches_krippendorff_2011_published_ordinal_value():
    """The worked example of Krippendorff (2011) gives ordinal alpha 0.815."""
    assert round(krippendorff_alpha_ordinal(units_of(KRIPPENDORFF_2011)), 3) == 0.815


def test_alpha_is_one_for_perfect_agreement_and_none_when_undefined():
    """Identical values give 1; no pairable unit or a single level gives None."""
    assert krippendorff_alpha_ordinal({"u1": {"a": 1, "b": 1}, "u2": {"a": 4, "b": 4}}) == pytest.approx(1)
    assert krippendorff_alpha_ordinal({"u1": {"a": 3}, "u2": {"b": 4}}) is None
    assert krippendorff_alpha_ordinal({"u1": {"a": 3, "b": 3}, "u2": {"a": 3, "b": 3}}) is None
    assert krippendorff_alpha_ordinal({}) is None


def test_group_alpha_runs_over_candidate_criterion_units():
    """The group's alpha equals alpha over (candidate, criterion) units, and each criterion's over its own."""
    rows = [("r1", "a", "field", 5), ("r2", "a", "field", 4), ("r1", "b", "field", 2), ("r2", "b", "field", 1),
            ("r1", "a", "office", 3), ("r2", "a", "office", 1), ("r1", "b", "office", 2), ("r2", "b", "office", 3)]
    result = aggregate(RUBRIC, scores_of(rows))
    units = {}
    for rater, candidate, criterion, value in rows:
        units.setdefault((candidate, criterion), {})[rater] = value
    assert result.alpha == pytest.approx(krippendorff_alpha_ordinal(units))
    field = {key[0]: ratings for key, ratings in units.items() if key[1] == "field"}
    assert result.alpha_by_criterion["field"] == pytest.approx(krippendorff_alpha_ordinal(field))
    assert result.alpha_by_criterion["field"] != pytest.approx(result.alpha)


@st.composite
def rating_matrices(draw, complete=False):
    """Draw a raters x units matrix of 1-5 values, with None for missing values unless complete."""
    raters = draw(st.integers(2, 5))
    units = draw(st.integers(2, 8))
    # About one value in six is missing, so most tables still have complete subjects for the ICC.
    value = st.integers(1, 5) if complete else st.sampled_from([None, 1, 2, 3, 4, 5])
    return [[draw(value) for _u in range(units)] for _r in range(raters)]


@settings(max_examples=100, deadline=None)
@given(matrix=rating_matrices())
def test_alpha_agrees_with_the_krippendorff_package(matrix):
    """Ordinal alpha equals krippendorff.alpha with the 1-5 value domain, missing values included."""
    np = pytest.importorskip("numpy")
    krippendorff = pytest.importorskip("krippendorff")
    ours = krippendorff_alpha_ordinal(units_of(matrix))
    data = np.array([[math.nan if value is None else value for value in row] for row in matrix], dtype=float)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            theirs = krippendorff.alpha(reliability_data=data, level_of_measurement="ordinal",
                                        value_domain=[1, 2, 3, 4, 5])
    except ValueError:
        theirs = math.nan  # The package refuses data with no pairable unit.
    if ours is None:
        assert math.isnan(theirs)
    else:
        assert ours == pytest.approx(theirs, abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(matrix=rating_matrices())
def test_alpha_is_the_same_over_occurring_levels_and_over_the_whole_scale(matrix):
    """Levels nobody used do not change ordinal alpha (the package computed both ways agrees)."""
    np = pytest.importorskip("numpy")
    krippendorff = pytest.importorskip("krippendorff")
    data = np.array([[math.nan if value is None else value for value in row] for row in matrix], dtype=float)
    pairable = [u for u in units_of(matrix).values() if len(u) >= 2]
    assume(len({value for unit in pairable for value in unit.values()}) >= 2)
    assume(len({value for row in matrix for value in row if value is not None}) >= 2)
    whole = krippendorff.alpha(reliability_data=data, level_of_measurement="ordinal", value_domain=[1, 2, 3, 4, 5])
    occurring = krippendorff.alpha(reliability_data=data, level_of_measurement="ordinal")
    assert whole == pytest.approx(occurring, abs=1e-9)
    assert krippendorff_alpha_ordinal(units_of(matrix)) == pytest.approx(whole, abs=1e-9)


# ICC


@pytest.mark.parametrize(("form", "published"), [
    ("ICC(1,1)", 0.17), ("ICC(2,1)", 0.29), ("ICC(3,1)", 0.71), ("ICC(1,k)", 0.44), ("ICC(2,k)", 0.62),
    ("ICC(3,k)", 0.91),
])
def test_icc_matches_shrout_and_fleiss_published_values(form, published):
    """The Shrout & Fleiss (1979) example reproduces their published coefficients."""
    table = {target: dict(enumerate(row)) for target, row in enumerate(SHROUT_FLEISS)}
    result = icc(table, form=form)
    assert round(result.value, 2) == published
    assert (result.form, result.subjects, result.raters) == (form, 6, 4)
    assert result.description


def test_icc_uses_complete_subjects_only():
    """A subject someone did not rate is left out; fewer than two complete subjects gives None."""
    table = {"a": {"r1": 1, "r2": 2}, "b": {"r1": 4, "r2": 5}, "c": {"r1": 3}}
    result = icc(table)
    assert (result.subjects, result.raters) == (2, 2)
    assert result.value == pytest.approx(icc({"a": {"r1": 1, "r2": 2}, "b": {"r1": 4, "r2": 5}}).value)
    assert icc({"a": {"r1": 1, "r2": 2}, "c": {"r1": 3}}).value is None
    assert icc({"a": {"r1": 1}, "b": {"r1": 2}}).value is None


def test_icc_is_none_without_variance():
    """Everybody giving everyone the same score leaves the ICC undefined."""
    assert icc({"a": {"r1": 3, "r2": 3}, "b": {"r1": 3, "r2": 3}}).value is None


def test_group_icc_is_over_each_raters_weighted_score():
    """The group's ICC(2,1) uses each rater's weighted score per candidate as the subject's rating."""
    rows = [("r1", "a", "field", 5), ("r1", "a", "office", 2), ("r2", "a", "field", 4), ("r2", "a", "office", 4),
            ("r1", "b", "field", 2), ("r1", "b", "office", 1), ("r2", "b", "field", 3), ("r2", "b", "office", 1),
            ("r1", "c", "field", 3), ("r1", "c", "office", 5), ("r2", "c", "field", 3)]
    result = aggregate(RUBRIC, scores_of(rows))
    # r1: a (10 + 2) / 3 = 4, b 5/3, c 11/3; r2: a 4, b 7/3, c 3 (office not scored, weights renormalised).
    expected = icc({"a": {"r1": 4, "r2": 4}, "b": {"r1": 5 / 3, "r2": 7 / 3}, "c": {"r1": 11 / 3, "r2": 3}})
    assert result.icc.form == "ICC(2,1)"
    assert result.icc.value == pytest.approx(expected.value)
    assert result.icc.subjects == 3
    assert result.icc_by_criterion["office"].subjects == 2  # c has one office score only.


def icc_denominator(np, table, subjects, form):
    """Return the denominator of an ICC form from numpy's two-way mean squares (rows subjects, columns raters)."""
    raters = sorted(table[subjects[0]])
    x = np.array([[table[s][r] for r in raters] for s in subjects], dtype=float)
    n, k = x.shape
    ms_rows = k * ((x.mean(axis=1) - x.mean()) ** 2).sum() / (n - 1)
    ms_columns = n * ((x.mean(axis=0) - x.mean()) ** 2).sum() / (k - 1)
    residual = x - x.mean(axis=1, keepdims=True) - x.mean(axis=0, keepdims=True) + x.mean()
    ms_error = (residual ** 2).sum() / ((n - 1) * (k - 1))
    ms_within = ((x - x.mean(axis=1, keepdims=True)) ** 2).sum() / (n * (k - 1))
    return {
        "ICC(1,1)": ms_rows + (k - 1) * ms_within,
        "ICC(2,1)": ms_rows + (k - 1) * ms_error + k * (ms_columns - ms_error) / n,
        "ICC(3,1)": ms_rows + (k - 1) * ms_error,
        "ICC(1,k)": ms_rows,
        "ICC(2,k)": ms_rows + (ms_columns - ms_error) / n,
        "ICC(3,k)": ms_rows,
    }[form]


@pytest.mark.parametrize("complete", [True, False])
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_icc_agrees_with_pingouin(complete, data):
    """Every ICC form equals pingouin's on random tables; with missing values both drop incomplete subjects."""
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    pingouin = pytest.importorskip("pingouin")
    matrix = data.draw(rating_matrices(complete=complete))
    table = {f"s{u}": {f"r{r}": row[u] for r, row in enumerate(matrix) if row[u] is not None}
             for u in range(len(matrix[0]))}
    raters = {rater for ratings in table.values() for rater in ratings}
    complete_subjects = [s for s, ratings in table.items() if set(ratings) == raters]
    # pingouin needs at least five ratings in the complete table.
    assume(len(raters) >= 2 and len(complete_subjects) >= 2 and len(raters) * len(complete_subjects) >= 5)
    long = pd.DataFrame([(s, r, v) for s, ratings in table.items() for r, v in ratings.items()],
                        columns=["subject", "rater", "score"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = pingouin.intraclass_corr(data=long, targets="subject", raters="rater", ratings="score",
                                          nan_policy="omit").set_index("Type")["ICC"]
    # pingouin names the two-way forms after McGraw & Wong: A for absolute agreement (2), C for consistency (3).
    for form, name in [("ICC(1,1)", "ICC(1,1)"), ("ICC(2,1)", "ICC(A,1)"), ("ICC(3,1)", "ICC(C,1)"),
                       ("ICC(1,k)", "ICC(1,k)"), ("ICC(2,k)", "ICC(A,k)"), ("ICC(3,k)", "ICC(C,k)")]:
        ours = icc(table, form=form)
        assert ours.subjects == len(complete_subjects)
        if ours.value is not None:
            assert ours.value == pytest.approx(float(theirs[name]), abs=1e-9), form
        else:
            # pingouin divides anyway and returns nan, infinity or rounding noise, so check with numpy that the
            # form's denominator really is zero.
            assert abs(icc_denominator(np, table, complete_subjects, form)) < 1e-9, form


def test_group_result_lookup_matches_the_list():
    """result_for finds every listed candidate."""
    result = aggregate(RUBRIC, scores_of([("r1", "a", "field", 3), ("r1", "b", "field", 4)]))
    assert isinstance(result, GroupResult)
    assert all(result.result_for(row.candidate) is row for row in result.candidates)


@st.composite
def groups(draw):
    """Draw (rubric, scores, raters): up to 4 raters, 5 candidates and 3 criteria, two scores in seven missing."""
    criteria = [CriterionWeight(f"c{j}", draw(st.integers(1, 4))) for j in range(draw(st.integers(1, 3)))]
    raters = [f"r{i}" for i in range(draw(st.integers(1, 4)))]
    scores = [Score(rater, f"k{c}", criterion.key, value)
              for c in range(draw(st.integers(1, 5))) for rater in raters for criterion in criteria
              if (value := draw(st.sampled_from([None, None, 1, 2, 3, 4, 5]))) is not None]
    return criteria, scores, raters


@settings(max_examples=100, deadline=None)
@given(group=groups())
def test_aggregate_follows_the_definitions_on_random_groups(group):
    """Weighted scores, counts and ranks equal a direct computation from the definitions."""
    criteria, scores, raters = group
    result = aggregate(criteria, scores, raters=raters)
    corrected = standardise_by_rater(scores)
    for row in result.candidates:
        mine = [s for s in scores if s.candidate == row.candidate]
        means = {c.key: [s.value for s in mine if s.criterion == c.key] for c in criteria}
        scored = [(c.weight, sum(means[c.key]) / len(means[c.key])) for c in criteria if means[c.key]]
        assert row.weighted == pytest.approx(sum(w * m for w, m in scored) / sum(w for w, _m in scored))
        fixed = {c.key: [corrected[(s.rater, s.candidate, s.criterion)] for s in mine if s.criterion == c.key]
                 for c in criteria}
        scored = [(c.weight, sum(fixed[c.key]) / len(fixed[c.key])) for c in criteria if fixed[c.key]]
        assert row.standardised == pytest.approx(sum(w * m for w, m in scored) / sum(w for w, _m in scored))
        assert row.ratings == len(mine)
        assert row.missing == len(raters) * len(criteria) - len(mine)
        assert row.raters == len({s.rater for s in mine})
        better = [other for other in result.candidates if other.weighted > row.weighted + 1e-9]
        assert row.rank == len(better) + 1
    # Best first; values equal to 9 decimals are a tie, listed by name.
    order = [(-round(row.weighted, 9), str(row.candidate)) for row in result.candidates]
    assert order == sorted(order)
