"""Data the monitor reads: gazetteers and rules as YAML (a package so that wheels ship them)."""
