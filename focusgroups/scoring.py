"""Turn a focus group's rubric scores into per-candidate results and agreement figures (pure Python, no Django).

Members (raters) score rostered candidates on weighted criteria, each score an integer from 1 to 5. The rules:

* **Weighted score.** For each criterion, the mean of the scores the candidate was given; then the weighted mean
  over the criteria that have at least one score, with the weights renormalised over those criteria. A missing
  rating is skipped, never counted as 0. A candidate with no score at all has no weighted score (``None``).
* **Standardised score.** The same aggregation over severity-corrected values (``standardise_by_rater``): each score
  becomes a z-score within its rater's own scores (population mean and SD over everything that rater scored in the
  group) and is mapped back with the pooled mean and population SD of all the group's scores, so it reads on the
  1–5 scale. A rater whose scores are all equal maps to the pooled mean. Values are not clamped to 1–5: clamping
  would tie distinct candidates at the ends of the scale.
* **Ranks.** 1 is best by weighted score; ties share a rank (competition ranking 1, 1, 3). Two weighted scores tie
  when they agree to 9 decimal places, so floating-point noise in equal averages does not split a tie. Candidates
  are listed best first, those without a weighted score last, ties in order of ``str(candidate)``.
* **Missing.** ``len(raters) * len(criteria)`` minus the scores given, where ``raters`` is the member list passed
  in, or else the raters seen in the scores.
* **Disagreement.** A criterion is flagged for a candidate when the spread (highest minus lowest score) is at least
  ``disagreement_spread``.
* **Krippendorff's alpha, ordinal metric,** in the coincidence-matrix formulation of Krippendorff (2011),
  "Computing Krippendorff's Alpha-Reliability". Units with fewer than two values are not pairable and are skipped.
  The ordinal distance only weighs levels by how often they occur among pairable values, so using the levels that
  occur gives the same result as the whole 1–5 domain (and as ``krippendorff.alpha(..., value_domain=[1..5])``).
  The group's alpha runs over every (candidate, criterion) unit; ``alpha_by_criterion`` over each criterion's units.
* **ICC,** per Shrout & Fleiss (1979) and McGraw & Wong (1996), from the two-way ANOVA mean squares. Only complete
  cases are used: the raters are every rater who appears in the table, and a subject is kept only if all of them
  rated it (listwise deletion, as ``pingouin.intraclass_corr(nan_policy="omit")`` does). The group's ICC is
  ICC(2,1) over each rater's weighted score per candidate; ``icc_by_criterion`` uses each criterion's scores.

Invalid input raises ``ValueError``: a score outside 1–5, a duplicate (rater, candidate, criterion), an unknown
criterion, a non-positive weight, a repeated criterion key, or a score by a rater missing from ``raters``.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

SCALE_MIN, SCALE_MAX = 1, 5
TIE_DECIMALS = 9

ICC_FORMS = {
    "ICC(1,1)": "one-way random effects, absolute agreement, single rater",
    "ICC(2,1)": "two-way random effects, absolute agreement, single rater",
    "ICC(3,1)": "two-way mixed effects, consistency, single rater",
    "ICC(1,k)": "one-way random effects, absolute agreement, mean of k raters",
    "ICC(2,k)": "two-way random effects, absolute agreement, mean of k raters",
    "ICC(3,k)": "two-way mixed effects, consistency, mean of k raters",
}


@dataclass(frozen=True, slots=True)
class CriterionWeight:
    key: Hashable
    weight: float

    def __post_init__(self):
        if isinstance(self.weight, bool) or not isinstance(self.weight, int | float) or not (
                math.isfinite(self.weight) and self.weight > 0):
            raise ValueError(f"Criterion {self.key!r} has weight {self.weight!r}; a weight must be a number above 0.")


@dataclass(frozen=True, slots=True)
class Score:
    rater: Hashable
    candidate: Hashable
    criterion: Hashable
    value: int

    def __post_init__(self):
        if isinstance(self.value, bool) or not isinstance(self.value, int) or not (
                SCALE_MIN <= self.value <= SCALE_MAX):
            raise ValueError(
                f"Score {self.value!r} by {self.rater!r} for {self.candidate!r} on {self.criterion!r} is out of scale; "
                f"a score must be a whole number from {SCALE_MIN} to {SCALE_MAX}."
            )


@dataclass(frozen=True, slots=True)
class Icc:
    form: str
    description: str
    value: float | None
    subjects: int
    raters: int


@dataclass(frozen=True)
class CandidateResult:
    candidate: Hashable
    weighted: float | None
    standardised: float | None
    raters: int
    ratings: int
    missing: int
    by_criterion: dict
    spread: dict
    disagreement: tuple
    rank: int | None


@dataclass(frozen=True)
class GroupResult:
    candidates: list[CandidateResult]
    alpha: float | None
    alpha_by_criterion: dict
    icc: Icc | None
    icc_by_criterion: dict
    _by_key: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        # A lookup table built once, so that pages showing one candidate do not scan the whole list.
        object.__setattr__(self, "_by_key", {result.candidate: result for result in self.candidates})

    def result_for(self, candidate) -> CandidateResult | None:
        """Return the result of one candidate, or None if the candidate is not in the group."""
        return self._by_key.get(candidate)


def _weighted_mean(sums: Mapping, counts: Mapping, weights: Mapping) -> float | None:
    """Return the weighted mean of per-criterion means over the criteria with at least one value."""
    numerator, denominator = [], []
    for key, weight in weights.items():
        count = counts.get(key)
        if count:
            numerator.append(weight * sums[key] / count)
            denominator.append(weight)
    if not denominator:
        return None
    return math.fsum(numerator) / math.fsum(denominator)


def _mean_sd(values: Sequence[float]) -> tuple[float, float]:
    """Return the population mean and standard deviation."""
    mean = math.fsum(values) / len(values)
    return mean, math.sqrt(math.fsum((value - mean) ** 2 for value in values) / len(values))


def _severity(values: Sequence[int], by_rater: Mapping[Hashable, Sequence[int]]) -> tuple[float, dict]:
    """Return the pooled mean and, per rater, (own mean, pooled SD / own SD or 0 for a rater with zero variance)."""
    pooled_mean, pooled_sd = _mean_sd(values)
    severity = {}
    for rater, own in by_rater.items():
        mean, sd = _mean_sd(own)
        severity[rater] = (mean, pooled_sd / sd if sd > 0 else 0.0)
    return pooled_mean, severity


def standardise_by_rater(scores: Iterable[Score]) -> dict[tuple, float]:
    """Return (rater, candidate, criterion) -> the score corrected for its rater's severity.

    Each score becomes a z-score within its rater's own scores (population mean and SD) and is mapped back with the
    pooled mean and population SD of all scores: pooled mean + (value - own mean) / own SD * pooled SD. A rater with
    zero variance maps to the pooled mean.
    """
    scores = list(scores)
    if not scores:
        return {}
    by_rater = defaultdict(list)
    for score in scores:
        by_rater[score.rater].append(score.value)
    pooled_mean, severity = _severity([score.value for score in scores], by_rater)
    standardised = {}
    for score in scores:
        mean, factor = severity[score.rater]
        standardised[(score.rater, score.candidate, score.criterion)] = pooled_mean + (score.value - mean) * factor
    return standardised


def _coincidences(unit_counts: Iterable[Mapping[Hashable, int]]) -> dict:
    """Return the coincidence matrix {(c, k): o_ck} from each unit's value counts (value -> how many gave it)."""
    # o_ck sums n_uc * n_uk / (m_u - 1) over pairable units (n_uc * (n_uc - 1) on the diagonal); only the few distinct
    # levels of each unit are visited, so the cost is linear in the number of units.
    coincidences = defaultdict(float)
    for counts in unit_counts:
        pairable = sum(counts.values())
        if pairable < 2:
            continue
        share = 1 / (pairable - 1)
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                coincidences[(c, k)] += (n_c * (n_c - 1) if c == k else n_c * n_k) * share
    return coincidences


def _alpha_from_coincidences(coincidences: Mapping[tuple, float]) -> float | None:
    """Return ordinal alpha from a coincidence matrix, or None without pairable values or possible disagreement."""
    if not coincidences:
        return None
    totals = defaultdict(float)
    for (c, _k), o in coincidences.items():
        totals[c] += o
    levels = sorted(totals)
    n_v = [totals[level] for level in levels]
    n = math.fsum(n_v)
    position = {level: i for i, level in enumerate(levels)}
    cumulative = [0.0]
    for count in n_v:
        cumulative.append(cumulative[-1] + count)

    def delta(i: int, j: int) -> float:
        low, high = min(i, j), max(i, j)
        return (cumulative[high + 1] - cumulative[low] - (n_v[low] + n_v[high]) / 2) ** 2

    observed = math.fsum(o * delta(position[c], position[k]) for (c, k), o in coincidences.items() if c != k)
    expected = math.fsum(
        n_v[i] * n_v[j] * delta(i, j) for i in range(len(levels)) for j in range(len(levels)) if i != j
    )
    if expected <= 0:
        return None
    return 1 - (n - 1) * observed / expected


def krippendorff_alpha_ordinal(units: Mapping[Hashable, Mapping[Hashable, int]]) -> float | None:
    """Return Krippendorff's alpha with the ordinal metric, or None if it cannot be computed.

    ``units`` maps each unit to {rater: value}. Units with fewer than two values are skipped; the result is None when
    no unit is pairable or every pairable value is the same (no disagreement is possible).
    """
    return _alpha_from_coincidences(_coincidences(Counter(ratings.values()) for ratings in units.values()))


def icc(table: Mapping[Hashable, Mapping[Hashable, float]], *, form: str = "ICC(2,1)") -> Icc:
    """Return the intraclass correlation of ``table`` (subject -> {rater: value}) in the given form.

    Only complete cases are used: the raters are all raters who appear in the table and a subject is kept only if
    every one of them rated it. The value is None with fewer than 2 complete subjects or raters, or when the
    denominator vanishes (no variance). Forms: ICC(1,1), ICC(2,1), ICC(3,1), ICC(1,k), ICC(2,k), ICC(3,k).
    """
    if form not in ICC_FORMS:
        raise ValueError(f"Unknown ICC form {form!r}; use one of {', '.join(ICC_FORMS)}.")
    raters = list(dict.fromkeys(rater for ratings in table.values() for rater in ratings))
    rows = [[ratings[rater] for rater in raters] for ratings in table.values() if len(ratings) == len(raters)
            and all(rater in ratings for rater in raters)]
    n, k = len(rows), len(raters)
    if n < 2 or k < 2:
        return Icc(form, ICC_FORMS[form], None, n, k)
    grand = math.fsum(value for row in rows for value in row) / (n * k)
    row_means = [math.fsum(row) / k for row in rows]
    column_means = [math.fsum(row[j] for row in rows) / n for j in range(k)]
    ss_total = math.fsum((value - grand) ** 2 for row in rows for value in row)
    ss_rows = k * math.fsum((mean - grand) ** 2 for mean in row_means)
    ss_columns = n * math.fsum((mean - grand) ** 2 for mean in column_means)
    ss_error = max(ss_total - ss_rows - ss_columns, 0.0)
    ms_rows = ss_rows / (n - 1)
    ms_columns = ss_columns / (k - 1)
    ms_error = ss_error / ((n - 1) * (k - 1))
    ms_within = (ss_columns + ss_error) / (n * (k - 1))
    numerator, denominator = {
        "ICC(1,1)": (ms_rows - ms_within, ms_rows + (k - 1) * ms_within),
        "ICC(2,1)": (ms_rows - ms_error, ms_rows + (k - 1) * ms_error + k * (ms_columns - ms_error) / n),
        "ICC(3,1)": (ms_rows - ms_error, ms_rows + (k - 1) * ms_error),
        "ICC(1,k)": (ms_rows - ms_within, ms_rows),
        "ICC(2,k)": (ms_rows - ms_error, ms_rows + (ms_columns - ms_error) / n),
        "ICC(3,k)": (ms_rows - ms_error, ms_rows),
    }[form]
    # A denominator that is zero up to rounding means the table has no variance the form can use.
    scale = ms_rows + ms_columns + ms_error
    if scale <= 0 or abs(denominator) <= 1e-12 * scale:
        return Icc(form, ICC_FORMS[form], None, n, k)
    return Icc(form, ICC_FORMS[form], numerator / denominator, n, k)


def _check_criteria(criteria: Sequence[CriterionWeight]) -> dict:
    weights = {}
    for criterion in criteria:
        if criterion.key in weights:
            raise ValueError(f"Criterion {criterion.key!r} appears twice in the rubric; give each criterion once.")
        weights[criterion.key] = criterion.weight
    return weights


def aggregate(criteria: Sequence[CriterionWeight], scores: Iterable[Score], *, raters: Iterable | None = None,
              candidates: Iterable | None = None, disagreement_spread: int = 2) -> GroupResult:
    """Return the group's per-candidate results and agreement figures; see the module docstring for the rules."""
    weights = _check_criteria(criteria)
    scores = list(scores)
    members = list(dict.fromkeys(raters)) if raters is not None else None
    member_set = set(members) if members is not None else None
    # candidate -> rater -> criterion -> value, filled in one pass; it also finds duplicates.
    table = defaultdict(lambda: defaultdict(dict))
    rater_values = defaultdict(list)
    for score in scores:
        criterion = score.criterion
        if criterion not in weights:
            raise ValueError(f"Score by {score.rater!r} for {score.candidate!r} is on unknown criterion "
                             f"{criterion!r}; the rubric has {', '.join(map(repr, weights))}.")
        if member_set is not None and score.rater not in member_set:
            raise ValueError(f"Score for {score.candidate!r} is by {score.rater!r}, who is not in the raters given.")
        given = table[score.candidate][score.rater]
        if criterion in given:
            raise ValueError(f"{score.rater!r} scored {score.candidate!r} on {criterion!r} more than once; "
                             f"keep one score per rater, candidate and criterion.")
        given[criterion] = score.value
        rater_values[score.rater].append(score.value)
    if members is None:
        members = list(dict.fromkeys(score.rater for score in scores))
    keys = list(dict.fromkeys([*table, *(candidates or ())]))

    # Severity correction as in standardise_by_rater, kept as one linear map per rater so that no per-score
    # dictionary is needed here.
    pooled_mean, severity = _severity([score.value for score in scores], rater_values) if scores else (0.0, {})

    expected = len(members) * len(weights)
    total_weight = {}
    partial = []
    rater_weighted = {}
    by_criterion_tables = {key: {} for key in weights}
    unit_counts = {key: [] for key in weights}
    for candidate in keys:
        per_rater = table.get(candidate, {})
        per_criterion = defaultdict(list)
        std_sums = defaultdict(float)
        weighted_by_rater = {}
        for rater, given in per_rater.items():
            mean, factor = severity[rater]
            for criterion, value in given.items():
                per_criterion[criterion].append(value)
                std_sums[criterion] += pooled_mean + (value - mean) * factor
                by_criterion_tables[criterion].setdefault(candidate, {})[rater] = value
            # The rater's own weighted score, over the criteria they scored.
            rubric = frozenset(given)
            if rubric not in total_weight:
                total_weight[rubric] = sum(weights[key] for key in rubric)
            weighted_by_rater[rater] = sum(weights[key] * value for key, value in given.items()) / total_weight[rubric]
        if weighted_by_rater:
            rater_weighted[candidate] = weighted_by_rater
        counts, sums, spread, means = {}, {}, {}, {}
        for key in weights:
            scored = per_criterion.get(key)
            if scored:
                counts[key], sums[key] = len(scored), sum(scored)
                means[key] = sums[key] / counts[key]
                spread[key] = max(scored) - min(scored)
                unit_counts[key].append(Counter(scored))
            else:
                means[key], spread[key] = None, 0
        given_count = sum(counts.values())
        partial.append(dict(
            candidate=candidate,
            weighted=_weighted_mean(sums, counts, weights),
            standardised=_weighted_mean(std_sums, counts, weights),
            raters=len(per_rater),
            ratings=given_count,
            missing=expected - given_count,
            by_criterion=means,
            spread=spread,
            disagreement=tuple(key for key in weights if spread[key] >= disagreement_spread),
        ))

    def order(row):
        weighted = row["weighted"]
        return (weighted is None, -round(weighted, TIE_DECIMALS) if weighted is not None else 0, str(row["candidate"]))

    partial.sort(key=order)
    results, previous, rank = [], None, None
    for position, row in enumerate(partial, start=1):
        if row["weighted"] is None:
            rank = None
        elif previous is None or round(row["weighted"], TIE_DECIMALS) != previous:
            rank, previous = position, round(row["weighted"], TIE_DECIMALS)
        results.append(CandidateResult(**row, rank=rank))

    # The group's coincidence matrix is the sum of the criteria's, so each unit is counted once.
    coincidences_by_criterion = {key: _coincidences(unit_counts[key]) for key in weights}
    overall = defaultdict(float)
    for matrix in coincidences_by_criterion.values():
        for pair, o in matrix.items():
            overall[pair] += o
    return GroupResult(
        candidates=results,
        alpha=_alpha_from_coincidences(overall),
        alpha_by_criterion={key: _alpha_from_coincidences(matrix) for key, matrix in coincidences_by_criterion.items()},
        icc=icc(rater_weighted),
        icc_by_criterion={key: icc(by_criterion_tables[key]) for key in weights},
    )
