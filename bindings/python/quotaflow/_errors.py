"""quotaflow's exception classes.

Every error the library raises is a :class:`quotaflow.Error`; each subclass also derives from the
built-in exception a Python user would expect (``ValueError``, ``OverflowError``, ``KeyError``,
``OSError``), so ``except ValueError`` keeps working. The message is the C++ message unchanged.
"""

from __future__ import annotations

__all__ = [
    "Error",
    "InvalidArgumentError",
    "OutOfRangeError",
    "AmountOverflowError",
    "NotFoundError",
    "FileError",
    "ParseError",
    "NoMemoryError",
    "InternalError",
    "error_class",
]


class Error(Exception):
    """Base class of every quotaflow error. ``code`` is the stable C ABI status (negative)."""

    code: int = -10
    code_name: str = "internal"

    def __str__(self) -> str:  # KeyError would quote the message; keep it unchanged everywhere
        return str(self.args[0]) if self.args else ""


class InvalidArgumentError(Error, ValueError):
    """A value is not acceptable: NaN, negative where not allowed, end before start, unknown grain."""

    code, code_name = -1, "invalid_argument"


class OutOfRangeError(Error, ValueError):
    """A date or index outside what is supported (or outside a calendar's valid range)."""

    code, code_name = -2, "out_of_range"


class AmountOverflowError(Error, OverflowError):
    """Integer arithmetic on minor units would overflow int64."""

    code, code_name = -3, "overflow"


class NotFoundError(Error, KeyError):
    """An unknown name or id (a preset, a node, a stage)."""

    code, code_name = -4, "not_found"


class FileError(Error, OSError):
    """A file could not be opened or read."""

    code, code_name = -5, "io_error"


class ParseError(Error, ValueError):
    """Malformed text input; the message gives the line."""

    code, code_name = -6, "parse_error"


class NoMemoryError(Error, MemoryError):
    code, code_name = -7, "no_memory"


class InternalError(Error, RuntimeError):
    """A broken invariant inside quotaflow: please report it."""

    code, code_name = -10, "internal"


_BY_CODE = {
    cls.code: cls
    for cls in (InvalidArgumentError, OutOfRangeError, AmountOverflowError, NotFoundError, FileError, ParseError,
                NoMemoryError, InternalError)
}
# Codes that only the C ABI produces still map somewhere sensible.
_BY_CODE[-8] = InvalidArgumentError  # buffer_too_small
_BY_CODE[-9] = InvalidArgumentError  # null_pointer


def error_class(code: int) -> type:
    """The exception class for a C ABI status code."""
    return _BY_CODE.get(code, InternalError)
