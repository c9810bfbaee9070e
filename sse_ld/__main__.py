"""``python -m sse_ld`` runs the ``sse-ld`` command."""

from .cli import main

raise SystemExit(main())
