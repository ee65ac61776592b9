from django import template

from core.masking import mask_personal

register = template.Library()


@register.filter
def personal(value, user):
    """{{ person.phone|personal:request.user }}: masked unless the user is office staff."""
    return mask_personal(value, user=user)
