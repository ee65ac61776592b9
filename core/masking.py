"""The one rule for personal data (等保 2.0: masked personal data): phone and ID numbers (volunteers', cadres' and
units' contact phones) are shown in full to campaign-office staff only; everyone else sees them masked, in every
list, page, export and API answer. Pages use the `personal` filter (core.templatetags.masking), the API
`core.api.fields.MaskedField`, exports `personal_masker`."""


def _sees_full(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_office)


def _mask(value: str) -> str:
    keep_start = 3 if len(value) <= 11 else 4
    keep_end = 4
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


def mask_personal(value, *, user) -> str:
    """138****1234 for a phone, 1401**********1234 for an ID number; the full value for the office."""
    return personal_masker(user)(value)


def personal_masker(user):
    """The same rule with the user's role looked up once, for long lists and exports."""
    full = _sees_full(user)

    def show(value) -> str:
        value = "" if value is None else str(value)
        return value if (full or not value) else _mask(value)

    return show
