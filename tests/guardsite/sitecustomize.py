"""Install the test suite's no-network guard (tests/netguard.py) in every Python process the
tests start, however they start it: conftest.py puts this folder on ``PYTHONPATH`` and sets
``SSE_LD_NETGUARD=1``; Python imports ``sitecustomize`` at start-up."""

from __future__ import annotations

import importlib.util
import os
import sys

if os.environ.get("SSE_LD_NETGUARD") == "1" and "netguard" not in sys.modules:
    _path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "netguard.py")
    _spec = importlib.util.spec_from_file_location("netguard", _path)
    if _spec is not None and _spec.loader is not None:
        _module = importlib.util.module_from_spec(_spec)
        sys.modules["netguard"] = _module
        _spec.loader.exec_module(_module)
        _module.install()
