"""Entities in and out of Jusoor: FollowTheMoney export and import (`ftm`, `ftm_import`), tables
(CSV, XLSX) read as rows (`table_rows`) and imported with a column mapping (`mapping`, `tabular`),
and one entity per value within an import (`reuse`)."""
