"""The last step of validation: findings made ready for the people who will read them.

:func:`finish` takes the findings of every stage (already free of consequences of earlier
findings) and, in order:

1. keeps one finding per cause for CSV problems (:func:`sse_ld.tables.refine`);
2. suggests the code that was probably meant for an unknown code ("did you mean
   'olla-comun'?"), from the code list itself;
3. finds the line and column of each finding in its file (:func:`sse_ld.positions.locate`);
4. says each message and fix in the reader's language (:func:`sse_ld.messages.localize`).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import replace

from .mapping import Vocabulary
from .messages import fill, localize, match
from .messages.mapping import UNKNOWN_CODE, UNKNOWN_CODE_CLOSE, UNKNOWN_CODE_NUMERIC
from .package import DataPackage
from .positions import locate
from .report import Issue
from .tables import refine

__all__ = ["finish", "suggest_codes"]


def finish(issues: Sequence[Issue], package: DataPackage, vocabulary: Vocabulary | None, lang: str) -> list[Issue]:
    """``issues`` refined, with suggestions, positions and messages in ``lang``."""
    refined = refine(package, issues)
    if vocabulary is not None:
        refined = suggest_codes(refined, vocabulary)
    return [localize(i, lang) for i in locate(package, refined)]


def suggest_codes(issues: Sequence[Issue], vocabulary: Vocabulary) -> list[Issue]:
    """``unknown-code`` findings with a better fix: the closest codes of the list when the
    codes are words, or the size of the list when they are numbers (where a close number
    is no better a guess than any other)."""
    out: list[Issue] = []
    for issue in issues:
        found = match(issue.message, (UNKNOWN_CODE,)) if issue.code == "unknown-code" else None
        codes = sorted(vocabulary.schemes.get(found[1]["scheme"], {})) if found else []
        value = issue.location.value
        if not codes or value is None:
            out.append(issue)
            continue
        if all(c.isdigit() for c in codes):
            hint = fill(UNKNOWN_CODE_NUMERIC.en, {"count": len(codes)})
        else:
            close = difflib.get_close_matches(value.strip().lower(), codes, n=1, cutoff=0.6)
            if not close:
                out.append(issue)
                continue
            hint = fill(UNKNOWN_CODE_CLOSE.en, {"suggestion": repr(close[0])})
        out.append(replace(issue, hint=hint))
    return out
