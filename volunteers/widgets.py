"""A <select> that renders its options in one string join instead of one template per option: a filter over
2,000 teams or units renders in milliseconds instead of hundreds."""

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        selected = {str(v) for v in (value if isinstance(value, (list, tuple)) else [value]) if v is not None}
        parts = []
        for option_value, label in self.choices:
            option_value = "" if option_value is None else str(option_value)
            parts.append(
                f'<option value="{conditional_escape(option_value)}"'
                f"{' selected' if option_value in selected else ''}>{conditional_escape(label)}</option>"
            )
        attributes = mark_safe(forms.utils.flatatt(final))
        return format_html("<select{}>{}</select>", attributes, mark_safe("".join(parts)))
