"""Amounts: money and quantities as int64 minor units, parsed and formatted without floats.

>>> parse_amount("1234.56", 2)
123456
>>> format_amount(-5, 2)
'-0.05'
"""

from __future__ import annotations

import operator

from . import _core
from ._errors import AmountOverflowError

__all__ = ["parse_amount", "format_amount"]


def parse_amount(text: str, scale: int) -> int:
    """Decimal text to minor units; more non-zero decimals than ``scale`` raise ParseError."""
    return _core.amount_parse(text, scale)


def format_amount(minor: int, scale: int) -> str:
    """Minor units to decimal text with ``scale`` decimals."""
    minor = operator.index(minor)  # floats never carry money: TypeError
    if not -(2**63) <= minor < 2**63:
        raise AmountOverflowError(f"minor is {minor}, outside the int64 range of minor units")
    return _core.amount_format(minor, scale)
