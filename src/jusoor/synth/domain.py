"""The synthetic data generator's data files (names, agencies), checked like every other."""

from __future__ import annotations

from jusoor.core.registry import Domain

DOMAIN = Domain(name="synth", data_files=("jusoor.synth.data_files",))
