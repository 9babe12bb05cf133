"""Which person entities are one person: their match keys and blind index (`matchkeys.py`),
candidate pairs (`pairs.py`), the score and its reasons (`evidence.py`), suggestions on a case
(`suggestions.py`), people's judgements (`judgements.py`) and the clusters they make
(`clusters.py`).
"""
