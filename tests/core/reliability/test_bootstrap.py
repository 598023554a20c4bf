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


def test_binary_tags_resample_like_their_own_reliability_data():
    """Several tags at once (the shortcut for two values) against the package, tag by tag."""
    rng = np.random.default_rng(9)
    units, coders = 50, 3
    present = rng.random((coders, units)) < 0.8
    tags = [rng.random((coders, units)) < p for p in (0.05, 0.3, 0.6)]
    per_tag = []
    for applied in tags:
        counts = np.stack([(present & ~applied).sum(0), (present & applied).sum(0)], axis=1)
        per_tag.append(unit_coincidences(counts))
    variable = Variable(np.stack(per_tag, axis=1), "nominal")
    draws = rng.integers(0, units, size=(5, units))
    weights = np.stack([np.bincount(d, minlength=units) for d in draws])
    found = alphas_for_weights(variable, weights)
    for t, applied in enumerate(tags):
        data = np.where(present, applied.astype(float), np.nan)
        for i, drawn in enumerate(draws):
            with np.errstate(invalid="ignore", divide="ignore"):
                expected = krippendorff.alpha(
                    data[:, drawn], level_of_measurement="nominal", value_domain=[0, 1]
                )
            assert found[i, t] == pytest.approx(expected, abs=1e-9, nan_ok=True)


def test_drawing_only_the_units_that_matter_gives_the_interval_of_drawing_them_all():
    """The sampler's shortcut (split the draws, then spread them) against plain draws."""
    rng = np.random.default_rng(4)
    units, coders = 400, 3
    present = rng.random((coders, units)) < 0.9
    truth = rng.random(units) < 0.15
    applied = np.where(rng.random((coders, units)) < 0.85, truth, ~truth)
    counts = np.stack([(present & ~applied).sum(0), (present & applied).sum(0)], axis=1)
    variable = Variable(unit_coincidences(counts)[:, None], "nominal")
    shortcut = bootstrap([variable], units, 4000, seed=1)[0][0]
    weights = resample_weights(np.random.default_rng(2), units, 4000)
    plain = np.percentile(alphas_for_weights(variable, weights)[:, 0], [2.5, 97.5])
    assert shortcut == pytest.approx(tuple(plain), abs=0.02)
