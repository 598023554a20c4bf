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
    units, count, size, _ = variable.contributions.shape
    flat = variable.contributions.reshape(units, count * size * size)
    o = (weights.astype(float) @ flat).reshape(len(weights), count, size, size)
    return alpha_from_coincidences(o, variable.level)


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
    done = 0
    if progress is not None:
        progress(0, resamples)
    while done < resamples and units > 0:
        count = min(_CHUNK, resamples - done)
        weights = resample_weights(rng, units, count)
        for found, variable in zip(results, variables, strict=True):
            found.append(alphas_for_weights(variable, weights))
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
