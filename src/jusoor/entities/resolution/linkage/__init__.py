"""Linkage of many person records: records made comparable (`prepare.py`, `rarity.py`), the
Splink model (`settings.py`, `comparisons.py`, `contrast.py`, `linker.py`), its engines and
workers, clusters and evidence, one-record lookup (`lookup.py`). The generic Splink setups it is
measured against are not part of the product: `bench/linkage_baselines.py`.
"""
