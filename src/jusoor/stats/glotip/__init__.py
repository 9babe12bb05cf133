"""UNODC's Global Report on Trafficking in Persons (GLOTIP): its published data file read and kept
as a series (`read`, `models`, `importer`), and the country's answers written in the file's very
columns and categories (`export`)."""

from pathlib import Path

# UNODC's published GLOTIP data file (dataunodc, dated 14/04/2025), only its rows for the countries
# of North Africa and Western Asia, Mauritania, Senegal and Mali (8,008 of 58,769 rows), unchanged:
# the demo loads it so that the dashboards show the region's published figures beside the node's.
# UNODC public data; cite "UNODC, Global Report on Trafficking in Persons, data file (2025)".
REGION_FILE = Path(__file__).with_name("unodc_region.xlsx")
