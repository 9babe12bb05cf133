"""Reading a press report, offline and without the database: its text from a file (`text`), its
language, the dates, event, places, organisations, persons and themes it states (`extract`, over
the gazetteers in `gazetteers/`), where each fact was read (`provenance`), and whether two reports
tell of one event (`grouping`)."""
