"""A national database at scale, built fast: `jusoor demo load --cases N` (see `loader`).

Modules: `population` (who holds cases, spread over years and countries), `staff` (case workers
and who else acts), `profiles` (names and identifiers), `persons` (the case's person entities),
`caseload` (one case and its history), `consents`, `referrals`, `screenings`, `activity` and
`audit_trail` (the audit trail and its chain), `tables` (COPY / executemany), `loader`.
"""
