"""What the monitor's pages show, built from the service's results: the calendar, the map (over the
outlines in `boundaries/`), an event's facts with their sentences (`evidence`), a stored report cut
into sentences (`report`) and the event filters of the query string (`filters`)."""
