"""A fixed-window rate limit in the cache (Redis in production, so every web process shares the count)."""

import time

from django.core.cache import cache


def client_ip(request) -> str:
    """The address the request came from. Behind a proxy, set the proxy to pass the real address in REMOTE_ADDR
    (e.g. gunicorn's --forwarded-allow-ips): a client-supplied X-Forwarded-For header would let anyone dodge it."""
    return request.META.get("REMOTE_ADDR") or "unknown"


def allow(key: str, *, limit: int, window: int) -> bool:
    """Count one attempt for `key`; False once more than `limit` attempts fall in the current `window` seconds."""
    bucket = f"ratelimit:{key}:{int(time.time() // window)}"
    if cache.add(bucket, 1, timeout=window + 5):
        return limit >= 1
    try:
        count = cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.add(bucket, 1, timeout=window + 5)
        count = 1
    return count <= limit
