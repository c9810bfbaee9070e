"""sse_ld: Social and Solidarity Economy data packages as validated linked open data.

The library has the same verbs as the ``sse-ld`` command::

    import sse_ld
    report = sse_ld.validate("datasets/peru-sse")
    if report.valid:
        result = sse_ld.build("datasets/peru-sse", "dist/peru-sse")
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import InputError, InternalError, OutputError, SseLdError, UnsafeInputError, UsageError
from .gsp import PushError
from .limits import Limits
from .operations import diff_builds, list_queries, push_build, query_build
from .pipeline import BuildResult, Options, build, validate
from .report import Issue, Location, Report, Severity, Stage

__all__ = [
    "BuildResult",
    "InputError",
    "InternalError",
    "Issue",
    "Limits",
    "Location",
    "Options",
    "OutputError",
    "PushError",
    "Report",
    "Severity",
    "SseLdError",
    "Stage",
    "UnsafeInputError",
    "UsageError",
    "__version__",
    "build",
    "diff_builds",
    "list_queries",
    "push_build",
    "query_build",
    "validate",
]
