"""Cases as IOM's Human Trafficking Case Data Standard 2.0 (HTCDS): the column mapping
(`columns`, `columns.yaml`), the export (`export`), the import (`imports`), and their API routes
(`api`) and console commands (`cli`)."""
