"""Exceptions: what sse_ld raises when it *cannot run*.

Findings about the data (a wrong type, an unknown code, a SHACL violation) are never
raised; they are :class:`~sse_ld.report.Issue` values in a :class:`~sse_ld.report.Report`.
An exception means the tool could not do its job at all::

    SseLdError                      base class; carries ``exit_code``
    ├── InputError (ValueError)     unusable input: missing file, malformed JSON, unsafe path  -> 2
    │   └── UnsafeInputError        input refused for safety (path escape, remote URL, ...)  -> 2
    ├── UsageError (ValueError)     contradictory or invalid options                           -> 2
    ├── OutputError (OSError)       the output could not be written (disk full, locked, ...)   -> 2
    └── InternalError (RuntimeError) a bug in sse_ld                                           -> 3

The CLI is the only place that turns these into exit codes (``exit_code``) and messages.
"""

from __future__ import annotations

import errno

__all__ = [
    "InputError",
    "InternalError",
    "OutputError",
    "SseLdError",
    "UnsafeInputError",
    "UsageError",
    "temporary_write_error",
]


class SseLdError(Exception):
    """Base class of every error sse_ld raises on purpose.

    Args:
        message: what went wrong, in one sentence.
        file: the file (or URL) concerned, if any.
        hint: what the user can do about it.
    """

    exit_code = 3

    def __init__(self, message: str, *, file: str | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.file}: {self.message}" if self.file else self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class InputError(SseLdError, ValueError):
    """The input cannot be used: missing or unreadable file, malformed JSON, bad descriptor."""

    exit_code = 2


class UnsafeInputError(InputError):
    """The input was refused for safety: a path leaving the package, a remote URL, a size cap."""


class UsageError(SseLdError, ValueError):
    """The options given do not make sense together, or name something that does not exist."""

    exit_code = 2


class OutputError(SseLdError, OSError):
    """The output folder could not be written; the previous output is left untouched."""

    exit_code = 2


class InternalError(SseLdError, RuntimeError):
    """A bug in sse_ld. Please report it with the command that triggered it."""

    exit_code = 3


def temporary_write_error(exc: OSError, what: str) -> OutputError:
    """``exc``, met while writing ``what`` into sse-ld's temporary folder (scratch files,
    spilled runs), as an :class:`OutputError`: a full disk is the user's to fix, not a bug."""
    where = f" ({exc.filename})" if exc.filename else ""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        advice = "free some disk space in the temporary folder (TMPDIR)"
    else:
        advice = "check that the temporary folder (TMPDIR) exists and can be written"
    return OutputError(f"could not write {what}: {exc.strerror or exc}{where}", hint=f"{advice}; nothing was published")
