"""Values by 64-bit integer key, in sorted arrays: a few bytes an entry where a dictionary takes
some 150, for the tens of millions of name pairs and word pairs of a million records.

Added entries wait as sorted chunks, looked up with the rest, and are merged into the sorted
arrays when `chunks` wait, or all by `settle`. `find` only reads, taking the whole state at
once, so the engine's threads may look up while nothing is added; `add`, `settle` and `clear`
replace the state.

`settle(index=True)` also indexes the sorted keys by their leading bits (`_Index`): a lookup
then reads where its bucket starts and searches the few keys in it, where a binary search of
tens of millions of keys makes some 25 reads, most of them missing the processor's caches.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_Chunks = tuple[tuple[Any, Any], ...]
INDEX_FROM = 1 << 16  # keys from which `settle(index=True)` indexes them
_PER_BUCKET = 4  # keys a bucket of the index holds, on average


class _Index:
    """Where each bucket of keys starts in the sorted keys, a bucket being the keys of one value
    of their leading `bits` bits (in the order of signed keys: shifted right, plus half)."""

    def __init__(self, keys: Any) -> None:
        self.bits = max(1, int(np.ceil(np.log2(max(len(keys) / _PER_BUCKET, 2)))))
        self.shift = 64 - self.bits
        counts = np.bincount(self._buckets(keys), minlength=1 << self.bits)
        self.starts = np.zeros(len(counts) + 1, np.int64)
        np.cumsum(counts, out=self.starts[1:])

    def _buckets(self, keys: Any) -> Any:
        return (keys >> self.shift) + (1 << (self.bits - 1))

    def find(self, sorted_keys: Any, keys: Any) -> Any:
        """Where each key is in `sorted_keys`, or where it would go (as `searchsorted`)."""
        bucket = self._buckets(keys)
        low, high = self.starts[bucket], self.starts[bucket + 1]
        last = len(sorted_keys) - 1
        open_ = low < high
        while open_.any():  # a binary search of every bucket at once
            middle = (low + high) >> 1
            less = sorted_keys[np.minimum(middle, last)] < keys
            low = np.where(open_ & less, middle + 1, low)
            high = np.where(open_ & ~less, middle, high)
            open_ = low < high
        return low


class SortedKeys:
    """Values of one numpy type by int64 key; `missing` is found where a key has none."""

    def __init__(self, dtype: Any, missing: float, *, chunks: int = 16) -> None:
        self._dtype, self._missing, self._chunks = dtype, missing, chunks
        self._state: tuple[Any, Any, _Chunks] = self._empty()
        self._index: tuple[Any, _Index] | None = None  # the sorted keys indexed, and their index

    def _empty(self) -> tuple[Any, Any, _Chunks]:
        return (np.empty(0, np.int64), np.empty(0, self._dtype), ())

    def __len__(self) -> int:
        keys, _values, chunks = self._state
        return len(keys) + sum(len(chunk[0]) for chunk in chunks)

    def add(self, keys: Any, values: Any) -> None:
        """Keep `values[i]` for `keys[i]` (keys not kept already, each once)."""
        order = np.argsort(keys, kind="stable")
        known, known_values, chunks = self._state
        self._state = (known, known_values, (*chunks, (keys[order], values[order])))
        if len(chunks) + 1 >= self._chunks:
            self.settle()

    def settle(self, *, index: bool = False) -> None:
        """Merge the chunks added into the sorted arrays (put in place, not sorted again);
        `index`: index them too, for quicker lookups until the next change."""
        self._merge()
        keys = self._state[0]
        if index and len(keys) >= INDEX_FROM:
            self._index = (keys, _Index(keys))

    def _merge(self) -> None:
        known, known_values, chunks = self._state
        if not chunks:
            return
        if len(chunks) == 1:  # sorted already
            keys, values = chunks[0]
        else:
            keys = np.concatenate([chunk[0] for chunk in chunks])
            values = np.concatenate([chunk[1] for chunk in chunks])
            order = np.argsort(keys, kind="stable")
            keys, values = keys[order], values[order]
        at = np.searchsorted(known, keys)
        self._state = (np.insert(known, at, keys), np.insert(known_values, at, values), ())
        self._index = None

    def find(self, keys: Any) -> Any:
        """The value of each key, `missing` where none is kept."""
        known, known_values, chunks = self._state
        indexed = self._index
        found = np.full(len(keys), self._missing, self._dtype)
        for sorted_keys, values in ((known, known_values), *chunks):
            if len(sorted_keys):
                where = (
                    indexed[1].find(sorted_keys, keys)
                    if indexed is not None and indexed[0] is sorted_keys
                    else np.searchsorted(sorted_keys, keys)
                )
                where = np.minimum(where, len(sorted_keys) - 1)
                hit = sorted_keys[where] == keys
                found[hit] = values[where[hit]]
        return found

    def clear(self) -> None:
        self._state, self._index = self._empty(), None
