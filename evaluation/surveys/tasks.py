"""Background jobs of survey responses (tally rebuild)."""
