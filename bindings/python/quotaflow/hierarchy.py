"""Hierarchies (org, product, channel, geography) as flat arrays.

>>> h = Hierarchy.from_parents([-1, 0, 0, 1], names=["CN", "East", "West", "Shanghai"])
>>> h.children("CN").tolist()
[1, 2]
>>> h.rollup([0, 0, 5, 7]).tolist()
[12, 7, 5, 7]
"""

from __future__ import annotations

from typing import Any, Optional, Sequence, Union

import numpy as np

from . import _core
from ._errors import InvalidArgumentError

__all__ = ["Hierarchy"]

NodeRef = Union[int, str]


class Hierarchy:
    """A forest of nodes given by a parent index per node (-1 for roots), any node order.

    Arrays: ``parents``, ``depths``, ``leaves`` (ascending), ``roots``, ``preorder`` (parents
    before children), ``child_offsets``/``child_indices`` (CSR). Immutable; safe to share.
    """

    __slots__ = ("_h",)

    def __init__(self, core: "_core.Hierarchy") -> None:
        self._h = core

    @classmethod
    def from_parents(cls, parents: Any, names: Optional[Sequence[str]] = None) -> "Hierarchy":
        arr = np.asarray(parents)
        if arr.dtype.kind not in "iu" and arr.size:
            if arr.dtype.kind == "f" and np.all(np.isfinite(arr)) and np.all(arr == np.round(arr)):
                arr = arr.astype(np.int64)
            else:
                raise InvalidArgumentError(f"parents has dtype {arr.dtype}; expected integer node indices (-1 for roots)")
        arr = arr.astype(np.int64)
        if arr.size and (arr.min() < -(2**31) or arr.max() >= 2**31):
            i = int(np.argmax((arr < -(2**31)) | (arr >= 2**31)))
            raise InvalidArgumentError(f"parents[{i}] is {int(arr[i])}; expected -1 (root) or a node index")
        p32 = np.ascontiguousarray(arr, dtype=np.int32)
        if names is None:
            return cls(_core.Hierarchy.from_parents(p32))
        return cls(_core.Hierarchy.from_parents_named(p32, [str(n) for n in names]))

    @classmethod
    def from_frame(cls, df: Any, child: str = "child", parent: str = "parent") -> "Hierarchy":
        """From a DataFrame of (child, parent) name pairs; an empty or missing parent marks a root.
        Node order is the row order."""
        for col in (child, parent):
            if col not in df.columns:
                raise InvalidArgumentError(f"column {col!r} is not in the frame (columns: {list(df.columns)})")
        kids = ["" if _missing(v) else str(v) for v in df[child].tolist()]
        pars = ["" if _missing(v) else str(v) for v in df[parent].tolist()]
        return cls(_core.Hierarchy.from_edges(kids, pars))

    def __len__(self) -> int:
        return len(self._h)

    def __repr__(self) -> str:
        return f"Hierarchy({len(self)} nodes, {len(self.leaves)} leaves, depth {self.max_depth})"

    @property
    def parents(self) -> np.ndarray:
        return self._h.parents

    @property
    def depths(self) -> np.ndarray:
        return self._h.depths

    @property
    def leaves(self) -> np.ndarray:
        return self._h.leaves

    @property
    def roots(self) -> np.ndarray:
        return self._h.roots

    @property
    def preorder(self) -> np.ndarray:
        return self._h.preorder

    @property
    def child_offsets(self) -> np.ndarray:
        return self._h.child_offsets

    @property
    def child_indices(self) -> np.ndarray:
        return self._h.child_indices

    @property
    def leaf_counts(self) -> np.ndarray:
        return self._h.leaf_counts

    @property
    def max_depth(self) -> int:
        return self._h.max_depth

    @property
    def names(self) -> Optional[list]:
        names = self._h.names
        return names if names else None

    def index(self, node: NodeRef) -> int:
        """A node's index from its index or name (NotFoundError for an unknown name)."""
        if isinstance(node, (int, np.integer)) and not isinstance(node, bool):
            return int(node)
        return self._h.index_of(str(node))

    def children(self, node: NodeRef) -> np.ndarray:
        return self._h.children(self.index(node))

    def rollup(self, values: Any) -> np.ndarray:
        """Subtree sums: every node gets its own value plus its descendants'. Integers stay exact
        int64 (OverflowError beyond); floats sum as float64."""
        arr = np.asarray(values)
        if arr.dtype.kind in "iub":
            return self._h.rollup_int(np.ascontiguousarray(arr, dtype=np.int64))
        return self._h.rollup_float(np.ascontiguousarray(arr, dtype=np.float64))

    def node_values(self, values: Any, name: str = "values", dtype: Any = np.float64,
                    fill: float = np.nan) -> np.ndarray:
        """One value per node from an array, a dict {node: value} or a pandas Series indexed by
        node names or indices; missing nodes get ``fill``."""
        if isinstance(values, dict) or hasattr(values, "index") and hasattr(values, "items") and not isinstance(values, np.ndarray):
            out = np.full(len(self), fill, dtype=dtype)
            for k, v in values.items():
                out[self.index(k)] = v
            return out
        arr = np.asarray(values, dtype=dtype)
        if arr.shape != (len(self),):
            raise InvalidArgumentError(f"{name} has shape {arr.shape}; expected one value per node ({len(self)})")
        return arr


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and v != v) or (isinstance(v, str) and v == "")
