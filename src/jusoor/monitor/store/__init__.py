"""The stored side of news monitoring: reports fetched from files, folders and URLs (`ingest`),
stored once with what was read from them (`reports`), and grouped into events (`event_groups`)."""
