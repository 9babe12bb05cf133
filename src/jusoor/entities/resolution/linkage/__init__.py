"""Linkage of many person records: records made comparable (`prepare.py`, `rarity.py`), the
Splink model (`settings.py`, `comparisons.py`, `contrast.py`, `linker.py`), its engines and
workers, clusters and evidence, one-record lookup (`lookup.py`) and the measured baselines.
"""
