"""A stage of an objective: one linear expression, optimised with the stages before held."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from ortools.sat.python import cp_model


@dataclass(frozen=True)
class Terms:
    """A linear expression as arrays: ``sum(coeffs[i] * variable[indices[i]]) + constant``.

    Setting a large objective from arrays is fifty times faster than from an
    expression (11 s for the 2.4 million seats of 100,000 unique attendees).
    """

    indices: NDArray[np.int64]
    coeffs: NDArray[np.int64]
    constant: int


@dataclass(frozen=True)
class Stage:
    """One expression to optimise, with a name for reports; ``terms``, when given, are the same
    sum as arrays (see :class:`Terms`)."""

    name: str
    expr: cp_model.LinearExprT
    maximise: bool = False
    total_cost: bool = False  # the stage whose bound is reported as the allocation's bound
    terms: Terms | None = None
