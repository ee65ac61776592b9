"""Background jobs of completeness (the package .zip)."""
