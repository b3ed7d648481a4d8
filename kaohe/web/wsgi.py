"""WSGI entry point: `gunicorn kaohe.web.wsgi`.

The public's answering pages (/s/…) are served by a handler of their own, without the middleware the staff
pages need and they do not: sessions, users, flash messages, static files (they render no user, read or write
no session, and set their own security headers). The rest — security headers, language, trailing slashes,
CSRF (the open link keeps it), framing — is the same. Both handlers resolve URLs from the same URL map.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaohe.web.settings")
staff = get_wsgi_application()

from django.conf import settings  # noqa: E402  (after setup)
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402

PUBLIC_PREFIX = "/s/"
PUBLIC_SKIPS = {
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
}


class PublicHandler(WSGIHandler):
    """The answering pages' handler: settings.MIDDLEWARE less PUBLIC_SKIPS."""

    def load_middleware(self, is_async: bool = False) -> None:
        full = settings.MIDDLEWARE
        settings.MIDDLEWARE = [m for m in full if m not in PUBLIC_SKIPS]
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full


public = PublicHandler()


def application(environ, start_response):
    if environ.get("PATH_INFO", "").startswith(PUBLIC_PREFIX):
        return public(environ, start_response)
    return staff(environ, start_response)
