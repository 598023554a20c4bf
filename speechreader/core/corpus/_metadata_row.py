"""One document's metadata as a read-only mapping over column names shared by all rows.

A loaded corpus keeps every document's metadata for its whole life. As a dict per
document, 100,000 rows of five columns weighed ~27 MB (a dict is ~270 bytes before its
values); here a row is its values in a tuple beside one tuple of names that every row
shares (~120 bytes). It reads like a dict (``get``, ``[]``, ``in``, ``items``, ``==``);
a change replaces a document's metadata with a new dict, never edits the row.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping


class MetadataRow(Mapping[str, str]):
    """``names[i]`` is ``values[i]``; a None value is a column this row does not have."""

    __slots__ = ("_names", "_values")

    def __init__(self, names: tuple[str, ...], values: tuple[str | None, ...]) -> None:
        self._names = names
        self._values = values

    def get(self, key: str, default=None):  # type: ignore[override]  # the fast path
        names = self._names
        if key in names:
            value = self._values[names.index(key)]
            if value is not None:
                return value
        return default

    def __getitem__(self, key: str) -> str:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __contains__(self, key: object) -> bool:
        return self.get(key) is not None  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[str]:
        return (n for n, v in zip(self._names, self._values, strict=True) if v is not None)

    def __len__(self) -> int:
        return len(self._values) - self._values.count(None)

    def values(self):  # type: ignore[override]
        return [v for v in self._values if v is not None]

    def items(self):  # type: ignore[override]
        return [(n, v) for n, v in zip(self._names, self._values, strict=True) if v is not None]

    def as_dict(self) -> dict[str, str]:
        """A plain dict of the row (in C when every column has a value)."""
        if None in self._values:
            return dict(self.items())
        return dict(zip(self._names, self._values, strict=True))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, MetadataRow):
            return self.as_dict() == other.as_dict()
        if isinstance(other, Mapping):
            return self.as_dict() == dict(other.items())
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # compared by value, like a dict

    def __repr__(self) -> str:
        return repr(self.as_dict())
