"""The bootstrap: each resample's α is the α of the resampled data; seeded draws repeat."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest

from speechreader.core.reliability._alpha import unit_coincidences, value_counts
from speechreader.core.reliability._bootstrap import (
    Variable,
    alphas_for_weights,
    bootstrap,
    resample_weights,
)


def data(seed: int, units: int = 40) -> list[list]:
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, 3, size=units)
    rows = []
    for _ in range(3):
        row = np.where(rng.random(units) < 0.7, truth, rng.integers(0, 3, size=units))
        rows.append([None if rng.random() < 0.2 else int(v) for v in row])
    return rows


@pytest.mark.parametrize("level", ["nominal", "ordinal"])
def test_each_resample_is_the_alpha_of_the_units_drawn(level):
    rows = data(1)
    counts = value_counts(rows, [0, 1, 2])
    variable = Variable(unit_coincidences(counts)[:, None], level)
    rng = np.random.default_rng(5)
    draws = rng.integers(0, len(counts), size=(6, len(counts)))
    weights = np.stack([np.bincount(d, minlength=len(counts)) for d in draws])
    found = alphas_for_weights(variable, weights)[:, 0]
    for i, drawn in enumerate(draws):
        resampled = [[np.nan if row[u] is None else row[u] for u in drawn] for row in rows]
        expected = krippendorff.alpha(resampled, level_of_measurement=level, value_domain=[0, 1, 2])
        assert found[i] == pytest.approx(expected, abs=1e-9)


def test_resample_weights_draw_as_many_units_as_there_are():
    weights = resample_weights(np.random.default_rng(0), 30, 8)
    assert weights.shape == (8, 30)
    assert (weights.sum(axis=1) == 30).all()


def test_a_seed_repeats_the_interval_and_another_seed_changes_it():
    counts = value_counts(data(2, units=80), [0, 1, 2])
    variable = Variable(unit_coincidences(counts)[:, None], "nominal")
    first = bootstrap([variable], len(counts), 300, seed=11)
    again = bootstrap([variable], len(counts), 300, seed=11)
    other = bootstrap([variable], len(counts), 300, seed=12)
    assert first == again
    assert first != other
    lo, hi = first[0][0]
    point = krippendorff.alpha(
        [[np.nan if v is None else v for v in row] for row in data(2, units=80)],
        level_of_measurement="nominal",
        value_domain=[0, 1, 2],
    )
    assert lo < point < hi


def test_more_units_give_a_narrower_interval():
    widths = []
    for units in (30, 600):
        counts = value_counts(data(3, units=units), [0, 1, 2])
        variable = Variable(unit_coincidences(counts)[:, None], "nominal")
        lo, hi = bootstrap([variable], len(counts), 400, seed=1)[0][0]
        widths.append(hi - lo)
    assert widths[1] < widths[0] / 2


def test_a_variable_without_variation_has_no_interval_and_progress_is_reported():
    counts = value_counts([[0, 0, 0], [0, 0, 0]], [0, 1])
    variable = Variable(unit_coincidences(counts)[:, None], "nominal")
    seen = []
    assert bootstrap([variable], 3, 120, progress=lambda d, t: seen.append((d, t))) == [[None]]
    assert seen[0] == (0, 120) and seen[-1] == (120, 120)
