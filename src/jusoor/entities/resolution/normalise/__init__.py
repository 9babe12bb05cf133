"""Field normalisers and one-pair name comparison, each pure and reading its YAML tables (beside
these modules, declared in `table_files.py`) once: scripts and letters, name particles and
phonetics, word and name keys, name similarity, countries, dates, documents and phones.
"""
