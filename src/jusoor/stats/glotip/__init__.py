"""UNODC's Global Report on Trafficking in Persons (GLOTIP): its published data file read and kept
as a series (`read`, `models`, `importer`), and the country's answers written in the file's very
columns and categories (`export`)."""
