"""Background jobs of material review (reminders, overdue notices, escalation)."""
