from django import template

from core.templatetags.masking import personal

register = template.Library()

# The one masking rule (core.masking), under the name the volunteers' templates already load.
register.filter("personal", personal)
