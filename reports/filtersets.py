"""One FilterSet for bulletins: the archive page, its export and the API list."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Bulletin


class BulletinFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Bulletin.Kind.choices, empty_label=_("All"))
    year = django_filters.NumberFilter(label=_("Year"), min_value=1, max_value=9999, decimal_places=0)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Bulletin.Status.choices, empty_label=_("All"))
    published = django_filters.BooleanFilter(
        label=_("Published"), field_name="published_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Bulletin
        fields = ["kind", "year", "status", "published"]
