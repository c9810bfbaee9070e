"""sse_ld: Social and Solidarity Economy data packages as validated linked open data.

The library has the same verbs as the ``sse-ld`` command::

    import sse_ld
    report = sse_ld.validate("datasets/peru-sse")
    if report.valid:
        result = sse_ld.build("datasets/peru-sse", "dist/peru-sse")
    else:
        sse_ld.annotate(report, "annotated", lang="es")   # CSV copies with a findings column

    sse_ld.init_package("my-package", lang="es")            # a new package that validates
"""

from __future__ import annotations

__version__ = "0.1.0"

from .annotate import AnnotateResult, annotate
from .errors import InputError, InternalError, OutputError, SseLdError, UnsafeInputError, UsageError
from .gsp import PushError
from .limits import Limits
from .operations import diff_builds, list_queries, push_build, query_build
from .pipeline import BuildResult, Options, build, validate
from .report import Issue, Location, Report, Severity, Stage
from .scaffold import ScaffoldResult, init_package

__all__ = [
    "AnnotateResult",
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
    "ScaffoldResult",
    "Severity",
    "SseLdError",
    "Stage",
    "UnsafeInputError",
    "UsageError",
    "__version__",
    "annotate",
    "build",
    "diff_builds",
    "init_package",
    "list_queries",
    "push_build",
    "query_build",
    "validate",
]
