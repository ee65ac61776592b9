"""Background jobs of readiness (the weekly snapshot)."""
