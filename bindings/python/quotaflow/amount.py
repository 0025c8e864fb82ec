"""Amounts: money and quantities as int64 minor units, parsed and formatted without floats.

>>> parse_amount("1234.56", 2)
123456
>>> format_amount(-5, 2)
'-0.05'
"""

from __future__ import annotations

from . import _core

__all__ = ["parse_amount", "format_amount"]


def parse_amount(text: str, scale: int) -> int:
    """Decimal text to minor units; more non-zero decimals than ``scale`` raise ParseError."""
    return _core.amount_parse(text, scale)


def format_amount(minor: int, scale: int) -> str:
    """Minor units to decimal text with ``scale`` decimals."""
    return _core.amount_format(minor, scale)
