"""Krippendorff's α, percent agreement and Cohen's κ, from counts of values per unit.

Everything starts from *value counts*: for each unit, how many coders gave it each
value (a ``units × values`` array). A coder who did not code a unit simply adds no
count there (missing data). Following Krippendorff (2011, "Computing Krippendorff's
Alpha-Reliability"):

- a unit with ``m_u`` ≥ 2 values is *pairable*; it adds ``n_uc · n_uk / (m_u − 1)``
  to the coincidence ``o_ck`` (``n_uc (n_uc − 1) / (m_u − 1)`` on the diagonal);
- ``n_c`` = Σ_k o_ck, ``n`` = Σ_c n_c;
- α = 1 − (n − 1) · Σ o_ck δ²_ck / Σ n_c n_k δ²_ck, with δ² the level's difference:
  nominal 0/1; ordinal (Σ_{g=c..k} n_g − (n_c + n_k)/2)², values in their given order.

α is undefined (``nan`` here, ``None`` to callers) when no unit is pairable or when
every pairable value is the same (no variation: the expected disagreement is 0).

The functions take stacks of coincidence matrices (``[..., V, V]``) so that forty
tags, or a thousand bootstrap resamples, are computed in one numpy call.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

LEVELS = ("nominal", "ordinal")


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; use one of {', '.join(LEVELS)}")


def unit_coincidences(counts: np.ndarray) -> np.ndarray:
    """Each unit's contribution to the coincidence matrix: ``[U, V, V]`` (0 if unpairable)."""
    counts = np.asarray(counts, dtype=float)
    m = counts.sum(axis=-1)
    weight = np.where(m >= 2, 1.0 / np.maximum(m - 1, 1), 0.0)
    outer = counts[:, :, None] * counts[:, None, :]
    idx = np.arange(counts.shape[1])
    outer[:, idx, idx] -= counts
    return outer * weight[:, None, None]


def coincidences(counts: np.ndarray) -> np.ndarray:
    """The ``V × V`` coincidence matrix of value counts ``[U, V]`` (pairable units only)."""
    counts = np.asarray(counts, dtype=float)
    m = counts.sum(axis=1)
    keep = m >= 2
    c = counts[keep]
    weighted = c / (m[keep] - 1)[:, None]
    o = weighted.T @ c
    o[np.diag_indices_from(o)] -= weighted.sum(axis=0)
    return o


def squared_differences(marginals: np.ndarray, level: str) -> np.ndarray:
    """δ²_ck for value marginals ``n_c`` (``[..., V]``): ``[..., V, V]``."""
    _check_level(level)
    marginals = np.asarray(marginals, dtype=float)
    size = marginals.shape[-1]
    if level == "nominal":
        delta = 1.0 - np.eye(size)
        return np.broadcast_to(delta, (*marginals.shape[:-1], size, size))
    cum = np.cumsum(marginals, axis=-1)
    c = np.arange(size)[:, None]
    k = np.arange(size)[None, :]
    lo, hi = np.minimum(c, k), np.maximum(c, k)
    between = cum[..., hi] - cum[..., lo] + marginals[..., lo]  # Σ_{g=lo..hi} n_g
    half = (marginals[..., :, None] + marginals[..., None, :]) / 2
    return (between - half) ** 2


def alpha_from_coincidences(o: np.ndarray, level: str) -> np.ndarray:
    """α for each coincidence matrix in a stack ``[..., V, V]``; ``nan`` where undefined."""
    o = np.asarray(o, dtype=float)
    marginals = o.sum(axis=-1)
    n = marginals.sum(axis=-1)
    delta = squared_differences(marginals, level)
    observed = (o * delta).sum(axis=(-2, -1))
    expected = (marginals[..., :, None] * marginals[..., None, :] * delta).sum(axis=(-2, -1))
    with np.errstate(divide="ignore", invalid="ignore"):
        result = 1.0 - (n - 1) * observed / expected
    # Rounding can leave a tiny positive "expected" where there is no variation at all.
    undefined = (n < 2) | (expected <= 1e-12 * np.maximum(n * n, 1))
    return np.where(undefined, np.nan, result)


def value_counts(data: Sequence[Sequence[object]], values: Sequence[object]) -> np.ndarray:
    """Reliability data (a row per coder, a column per unit; None for missing) as counts."""
    position = {v: i for i, v in enumerate(values)}
    rows = [list(row) for row in data]
    units = len(rows[0]) if rows else 0
    counts = np.zeros((units, len(values)))
    for row in rows:
        if len(row) != units:
            raise ValueError("every coder needs a value (or None) for every unit")
        for u, value in enumerate(row):
            if value is None or (isinstance(value, float) and np.isnan(value)):
                continue
            if value not in position:
                raise ValueError(f"value {value!r} is not one of {list(values)}")
            counts[u, position[value]] += 1
    return counts


def alpha(
    data: Sequence[Sequence[object]],
    level: str = "nominal",
    values: Sequence[object] | None = None,
) -> float | None:
    """Krippendorff's α of reliability data (coders × units, None = missing); None if undefined.

    ``values`` gives the order of the values (it matters for ``ordinal``); by default
    the values found, sorted.
    """
    if values is None:
        found = {v for row in data for v in row if v is not None and v == v}
        values = sorted(found)  # type: ignore[type-var]
    result = float(alpha_from_coincidences(coincidences(value_counts(data, values)), level))
    return None if np.isnan(result) else result


def pairwise_agreement(counts: np.ndarray) -> float | None:
    """The share of agreeing pairs of values among all pairs within pairable units.

    With two coders this is the share of units both coded on which they agree; with
    more, every pair of coders on every unit counts once. None if no unit is pairable.
    """
    counts = np.asarray(counts, dtype=float)
    m = counts.sum(axis=1)
    pairs = (m * (m - 1) / 2).sum()
    if pairs <= 0:
        return None
    return float((counts * (counts - 1) / 2).sum() / pairs)


def cohen_kappa(a: Sequence[object], b: Sequence[object]) -> float | None:
    """Cohen's κ of two coders' values on the same units (no missing); None if undefined.

    κ = (p_o − p_e) / (1 − p_e), p_e from each coder's own marginals. Undefined when
    there are no units, or when chance agreement is already perfect (both coders gave
    one and the same value everywhere).
    """
    if len(a) != len(b):
        raise ValueError("both coders need a value for every unit")
    n = len(a)
    if n == 0:
        return None
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    values = set(a) | set(b)
    expected = sum((list(a).count(v) / n) * (list(b).count(v) / n) for v in values)
    if expected >= 1 - 1e-12:
        return None
    return (observed - expected) / (1 - expected)


def binary_kappa(a: np.ndarray, b: np.ndarray) -> float | None:
    """Cohen's κ for two boolean arrays (the same units): :func:`cohen_kappa`, vectorised."""
    n = a.size
    if n == 0:
        return None
    pa, pb = a.mean(), b.mean()
    observed = float((a == b).mean())
    expected = float(pa * pb + (1 - pa) * (1 - pb))
    if expected >= 1 - 1e-12:
        return None
    return (observed - expected) / (1 - expected)
