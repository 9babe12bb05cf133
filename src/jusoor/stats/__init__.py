"""Statistics that protect victims: counts and durations over the node's records, disclosure
control on everything that leaves need-to-know, UNODC GLOTIP and CTDC/HTCDS formats, dashboards."""
