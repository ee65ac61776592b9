"""The one rule for personal data (等保 2.0: masked personal data): phone and ID numbers are shown in full to
campaign-office staff only; everyone else sees them masked, in every list, page, export and API answer."""


def mask_personal(value, *, user) -> str:
    """138****1234 for a phone, 1401**********1234 for an ID number; the full value for the office."""
    value = "" if value is None else str(value)
    if not value or (user is not None and getattr(user, "is_authenticated", False) and user.is_office):
        return value
    keep_start = 3 if len(value) <= 11 else 4
    keep_end = 4
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]
