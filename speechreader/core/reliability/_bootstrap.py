"""A 95 % interval for α by bootstrapping units (after Hayes & Krippendorff 2007).

The units of the reliability data are drawn with replacement, as many as there are,
and α is computed again on each resample; the 2.5th and 97.5th percentiles of those
αs are the interval. A generator seeded with ``seed`` makes the draws, so the same
data and seed give the same interval.

Hayes & Krippendorff's KALPHA macro resamples pairs of values and keeps the expected
disagreement fixed, which has been criticised for giving intervals that are too
narrow (Gwet 2015; Hughes 2022, "Toward improved inference for Krippendorff's
alpha"). Resampling whole units (Efron's nonparametric bootstrap) lets both
disagreements vary with the sample, which is what the reported interval should
reflect.

α is additive over units before its final division: each unit adds its own
coincidences. So a resample is a vector of weights (how often each unit was drawn),
and a thousand resamples of forty variables are one matrix product.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from speechreader.core.reliability._alpha import alpha_from_coincidences

DEFAULT_SEED = 2007
_CHUNK = 50  # resamples per matrix product: bounded memory, a progress step each


@dataclass
class Variable:
    """What the bootstrap needs of one or more variables of the same size and level.

    ``contributions``: each unit's coincidences, ``[units, variables, V, V]``.
    """

    contributions: np.ndarray
    level: str


def resample_weights(rng: np.random.Generator, units: int, count: int) -> np.ndarray:
    """``count`` resamples of ``units`` units drawn with replacement, as draw counts per unit."""
    draws = rng.integers(0, units, size=(count, units))
    offsets = (np.arange(count) * units)[:, None]
    return np.bincount((draws + offsets).ravel(), minlength=count * units).reshape(count, units)


def alphas_for_weights(variable: Variable, weights: np.ndarray) -> np.ndarray:
    """α of every variable for each row of unit weights: ``[resamples, variables]``."""
    prepared = _Prepared(variable)
    weights = np.asarray(weights, dtype=float)
    outside = weights @ prepared.outside_m
    return prepared.alphas(weights[:, prepared.rows], outside)


class _Prepared:
    """A variable reduced to what a resample needs, so that a thousand cost seconds.

    Only units that contribute more than their count of values (``m``) enter the
    matrix product (``rows``). For two values (a tag present or absent) a unit's 2 × 2
    coincidences follow from three numbers: its pairable values ``m``, its 1s and its
    (0, 1) coincidence; a unit where nobody applied the tag adds only ``m`` to the
    (0, 0) cell, so for it the resample needs only how often it was drawn, summed.
    """

    def __init__(self, variable: Variable) -> None:
        self.level = variable.level
        c = variable.contributions
        units, self.count, self.size, _ = c.shape
        self.outside_m = np.zeros(units)
        if self.size == 2:
            m = c.sum(axis=(1, 2, 3)) / max(self.count, 1)  # the same for every tag
            ones = c[:, :, 1, :].sum(axis=-1)  # [U, T]: the unit's 1s (pairable)
            cross = c[:, :, 0, 1]  # [U, T]
            flat = np.concatenate([ones, cross, m[:, None]], axis=1)
            tagged = np.concatenate([ones, cross], axis=1).any(axis=1)
            self.outside_m = np.where(tagged, 0.0, m)
        else:
            flat = c.reshape(units, self.count * self.size * self.size)
            tagged = flat.any(axis=1)
        self.rows = np.nonzero(tagged)[0]
        self.flat = np.ascontiguousarray(flat[self.rows])

    def alphas(self, weights: np.ndarray, outside: np.ndarray) -> np.ndarray:
        """α per resample from the draw counts of ``rows`` and Σ draws × m of the others."""
        sums = weights.astype(float) @ self.flat
        resamples = len(weights)
        if self.size != 2:
            o = sums.reshape(resamples, self.count, self.size, self.size)
            return alpha_from_coincidences(o, self.level)
        t = self.count
        ones, cross = sums[:, :t], sums[:, t : 2 * t]
        n = (sums[:, 2 * t] + outside)[:, None]
        o = np.empty((resamples, t, 2, 2))
        o[..., 0, 1] = o[..., 1, 0] = cross
        o[..., 1, 1] = ones - cross
        o[..., 0, 0] = n - ones - cross
        return alpha_from_coincidences(o, self.level)


class _Sampler:
    """Draws resamples of ``units`` units, but counts draws only where they matter.

    Drawing all units is what costs: 1,000 × 40,000 draws. Yet a unit outside every
    variable's ``rows`` matters only through its ``m``; so each resample first splits
    its ``units`` draws among the relevant units (as one block) and the groups of
    others with the same ``m`` profile (multinomially, exactly as the individual
    draws would fall), then spreads the block's draws uniformly over its units.
    """

    def __init__(self, prepared: list[_Prepared], units: int) -> None:
        self.units = units
        relevant = np.zeros(units, dtype=bool)
        for p in prepared:
            relevant[p.rows] = True
        self.rows = np.nonzero(relevant)[0]
        self.positions = [np.searchsorted(self.rows, p.rows) for p in prepared]
        others = np.nonzero(~relevant)[0]
        profile = np.stack([p.outside_m[others] for p in prepared], axis=1)
        if len(others):
            self.profiles, counts = np.unique(profile, axis=0, return_counts=True)
        else:
            self.profiles, counts = np.zeros((0, len(prepared))), np.zeros(0, dtype=int)
        sizes = np.concatenate([[len(self.rows)], counts]).astype(float)
        self.pvals = sizes / max(units, 1)

    def draw(self, rng: np.random.Generator, count: int) -> tuple[np.ndarray, np.ndarray]:
        """Draw counts of the relevant units and, per variable, Σ m of the other units drawn."""
        split = rng.multinomial(self.units, self.pvals, size=count)
        inside = split[:, 0]
        picks = rng.integers(0, max(len(self.rows), 1), size=int(inside.sum()))
        owner = np.repeat(np.arange(count), inside)
        size = len(self.rows)
        weights = np.bincount(owner * size + picks, minlength=count * size)
        outside = split[:, 1:] @ self.profiles  # [count, variables]
        return weights.reshape(count, size), outside


def bootstrap(
    variables: Sequence[Variable],
    units: int,
    resamples: int,
    *,
    seed: int = DEFAULT_SEED,
    progress: Callable[[int, int], None] | None = None,
) -> list[list[tuple[float, float] | None]]:
    """The 95 % percentile interval of each variable (None where α is never defined)."""
    rng = np.random.default_rng(seed)
    results: list[list[np.ndarray]] = [[] for _ in variables]
    prepared = [_Prepared(v) for v in variables]
    sampler = _Sampler(prepared, units)
    done = 0
    if progress is not None:
        progress(0, resamples)
    while done < resamples and units > 0:
        count = min(_CHUNK, resamples - done)
        weights, outside = sampler.draw(rng, count)
        for i, (found, variable) in enumerate(zip(results, prepared, strict=True)):
            found.append(variable.alphas(weights[:, sampler.positions[i]], outside[:, i]))
        done += count
        if progress is not None:
            progress(done, resamples)
    intervals: list[list[tuple[float, float] | None]] = []
    for found, variable in zip(results, variables, strict=True):
        count = variable.contributions.shape[1]
        if not found:
            intervals.append([None] * count)
            continue
        alphas = np.concatenate(found, axis=0)
        row: list[tuple[float, float] | None] = []
        for i in range(count):
            defined = alphas[:, i][~np.isnan(alphas[:, i])]
            if defined.size == 0:
                row.append(None)
            else:
                lo, hi = np.percentile(defined, [2.5, 97.5])
                row.append((float(lo), float(hi)))
        intervals.append(row)
    return intervals
