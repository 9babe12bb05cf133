"""National action plans: pillars, measures, indicators and progress reports (issue 17, item 6)."""
