"""Resource limits: the caps that keep a hostile or broken package from exhausting memory,
disk or time. Defaults let the full Peru dataset and a one-million-row package through.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Limits"]


@dataclass(frozen=True, slots=True)
class Limits:
    """Caps applied while reading a package.

    Attributes:
        max_file_bytes: largest descriptor, mapping or data file accepted.
        max_descriptor_bytes: largest ``datapackage.json`` or mapping file accepted.
        max_rows: most records read from one CSV file.
        max_cell_bytes: largest single cell (also the CSV field size limit).
        remote_timeout: seconds allowed to download one remote resource.
    """

    max_file_bytes: int = 2 * 1024**3
    max_descriptor_bytes: int = 16 * 1024**2
    max_rows: int = 20_000_000
    max_cell_bytes: int = 1024**2
    remote_timeout: float = 30.0
