"""α, κ and percent agreement against published worked examples and an independent implementation.

The independent implementation is the ``krippendorff`` package (test-only dependency):
random reliability data with missing values, for two and for more coders, at the
nominal and the ordinal level, with few and with many values.
"""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest

from speechreader.core.reliability import alpha, cohen_kappa, pairwise_agreement
from speechreader.core.reliability._alpha import (
    alpha_from_coincidences,
    binary_kappa,
    coincidences,
    unit_coincidences,
    value_counts,
)

N = None

# Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Section A: binary
# data, two observers, no missing data. Published alpha = 0.095.
BINARY_2011 = [[0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]]
# Section B: nominal data, two observers, no missing data. Published alpha = 0.692.
NOMINAL_2011 = [list("aabbdcccedda"), list("babbbccceddd")]
# Section C: four observers, missing data. Published: nominal 0.743, ordinal 0.815.
MISSING_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]
# Wikipedia, "Krippendorff's alpha", the worked example: 3 coders, 15 units. Nominal 0.691.
WIKIPEDIA = [
    [N, N, N, N, N, 3, 4, 1, 2, 1, 1, 3, 3, N, 3],
    [1, N, 2, 1, 3, 3, 4, 3, N, N, N, N, N, N, N],
    [N, N, 2, 1, 3, 4, 4, N, 2, 1, 1, 3, 3, N, 4],
]


def test_published_worked_examples():
    assert round(alpha(BINARY_2011), 3) == 0.095
    assert round(alpha(NOMINAL_2011), 3) == 0.692
    assert round(alpha(MISSING_2011, "nominal"), 3) == 0.743
    assert round(alpha(MISSING_2011, "ordinal"), 3) == 0.815
    assert round(alpha(WIKIPEDIA, "nominal"), 3) == 0.691


def test_the_2011_binary_coincidences_are_the_published_ones():
    # The paper's coincidence matrix: o00 = 10, o01 = o10 = 4, o11 = 2 (n = 20).
    o = coincidences(value_counts(BINARY_2011, [0, 1]))
    assert o.tolist() == [[10, 4], [4, 2]]


def random_data(rng, coders: int, units: int, values: int, missing: float) -> list[list]:
    """Reliability data: coders agree with a shared truth more often than chance, some missing."""
    truth = rng.integers(0, values, size=units)
    data = []
    for _ in range(coders):
        row = np.where(rng.random(units) < 0.6, truth, rng.integers(0, values, size=units))
        data.append([None if rng.random() < missing else int(v) for v in row])
    return data


@pytest.mark.parametrize("level", ["nominal", "ordinal"])
@pytest.mark.parametrize("coders", [2, 3, 5])
@pytest.mark.parametrize("values", [2, 3, 6])
def test_alpha_matches_the_krippendorff_package_on_random_data_with_missing_values(
    level, coders, values
):
    rng = np.random.default_rng(coders * 100 + values)
    for _ in range(20):
        data = random_data(rng, coders, int(rng.integers(5, 60)), values, missing=0.3)
        domain = list(range(values))
        as_float = [[np.nan if v is None else v for v in row] for row in data]
        try:
            with np.errstate(invalid="ignore", divide="ignore"):
                expected = krippendorff.alpha(
                    as_float, level_of_measurement=level, value_domain=domain
                )
        except ValueError:  # the package refuses data without a pairable unit
            expected = np.nan
        found = alpha(data, level, values=domain)
        if found is None:
            assert np.isnan(expected) or not np.isfinite(expected)
        else:
            assert found == pytest.approx(expected, abs=1e-9)


def test_batched_coincidences_equal_one_at_a_time():
    rng = np.random.default_rng(7)
    data = random_data(rng, 4, 30, 4, missing=0.25)
    counts = value_counts(data, list(range(4)))
    assert unit_coincidences(counts).sum(axis=0) == pytest.approx(coincidences(counts))
    stack = np.stack([coincidences(counts), coincidences(counts[:10])])
    both = alpha_from_coincidences(stack, "ordinal")
    assert both[0] == pytest.approx(alpha(data, "ordinal", values=list(range(4))))
    first = [row[:10] for row in data]
    assert both[1] == pytest.approx(alpha(first, "ordinal", values=list(range(4))))


def test_undefined_alpha_is_none_not_nan():
    assert alpha([[1, 1, 1], [1, 1, 1]], values=[0, 1]) is None  # no variation
    assert alpha([[1, None], [None, 0]], values=[0, 1]) is None  # nothing pairable
    assert alpha([[0, 0, 0], [0, 0, 0]], values=[0, 1]) is None  # a tag nobody used


# Cohen's kappa: the worked examples of Wikipedia's "Cohen's kappa" article, as 2x2 tables
# (both yes, A yes B no, A no B yes, both no) with their published kappas.
@pytest.mark.parametrize(
    ("table", "expected"),
    [((20, 5, 10, 15), 0.4), ((45, 15, 25, 15), 0.1304), ((25, 35, 5, 35), 0.2593)],
)
def test_cohen_kappa_worked_examples(table, expected):
    yes_yes, yes_no, no_yes, no_no = table
    a = [1] * (yes_yes + yes_no) + [0] * (no_yes + no_no)
    b = [1] * yes_yes + [0] * yes_no + [1] * no_yes + [0] * no_no
    assert round(cohen_kappa(a, b), 4) == expected
    assert round(binary_kappa(np.array(a, bool), np.array(b, bool)), 4) == expected


def test_cohen_kappa_is_undefined_when_both_coders_never_vary():
    assert cohen_kappa([0, 0, 0], [0, 0, 0]) is None
    assert binary_kappa(np.zeros(3, bool), np.zeros(3, bool)) is None
    assert cohen_kappa([], []) is None


def test_pairwise_percent_agreement_by_hand():
    # Unit 1: three coders say 1, 1, 0 -> pairs (1,1) agree, two pairs differ: 1 of 3.
    # Unit 2: two coders say 0, 0 -> 1 of 1. Unit 3: one coder -> not pairable.
    data = [[1, 0, 1], [1, 0, None], [0, None, None]]
    counts = value_counts(data, [0, 1])
    assert pairwise_agreement(counts) == pytest.approx(2 / 4)
    assert pairwise_agreement(value_counts([[1], [None]], [0, 1])) is None
