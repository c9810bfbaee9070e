"""``python -m sse_ld.messages`` prints docs/findings.md."""

from . import render_findings_doc

print(render_findings_doc(), end="")
