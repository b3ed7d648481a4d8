"""Printed pages (report cards, ranking tables, bulletins) as PDF with WeasyPrint, offline.

Templates extend "web/print_base.html" (A4, the office's header, page numbers, CJK fonts from the
system's fonts-noto-cjk). Nothing is fetched from the network: only our own static files are read.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string


def _offline_fetcher(url: str, timeout: int = 10, ssl_context=None):
    """Serve /static/… and file:// URLs from disk; refuse anything else (deployments are offline)."""
    from weasyprint.urls import default_url_fetcher

    if url.startswith("file://"):
        return default_url_fetcher(url, timeout=timeout, ssl_context=ssl_context)
    raise ValueError(f"no network access when printing: {url}")


def render_pdf(template: str, context: dict, request=None) -> bytes:
    """The template rendered to HTML, then laid out as PDF bytes."""
    from weasyprint import HTML

    html = render_to_string(template, {"office_name": settings.KAOHE_OFFICE_NAME, **context}, request=request)
    base = Path(settings.STATIC_ROOT).as_uri() + "/" if Path(settings.STATIC_ROOT).is_dir() else None
    return HTML(string=html, base_url=base, url_fetcher=_offline_fetcher).write_pdf()
