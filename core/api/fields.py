"""Serializer fields shared by every app's API."""

from rest_framework import serializers

from core.masking import mask_personal


class MaskedField(serializers.CharField):
    """Personal data: the full value for office staff, masked (138****1234) for everyone else."""

    def to_representation(self, value):
        request = self.context.get("request")
        return mask_personal(value, user=getattr(request, "user", None))
