"""Human review of match suggestions: the table of judgements (`models`).

The logic is beside it in `jusoor.entities`: `suggestions` (likely matches of a case's person),
`judgements` (confirm, reject, undo), `clusters` (model pairs and judgements into people) and
`review_pages`. The table sits in a `models.py` of its own so that every `models.py` scan
(migrations, key rotation) finds it.
"""
