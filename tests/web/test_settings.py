"""Settings come from the environment, strictly: a bad flag or a missing key stops the start."""

from __future__ import annotations

import os
import subprocess
import sys


def start(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "KAOHE_HTTPS_PROXY")}
    return subprocess.run([sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE']="
                           "'kaohe.web.settings'; django.setup(); from django.conf import settings as s; "
                           "print(s.SECURE_PROXY_SSL_HEADER, s.CSRF_TRUSTED_ORIGINS)"],
                          capture_output=True, text=True, env=clean | env, timeout=60)


def test_without_a_secret_key_production_settings_refuse_to_start() -> None:
    p = start()
    assert p.returncode != 0 and "SECRET_KEY must be set" in p.stderr


def test_a_flag_must_be_true_or_false() -> None:
    p = start(SECRET_KEY="x", DEBUG="yes")
    assert p.returncode != 0 and "DEBUG must be True or False" in p.stderr


def test_behind_an_https_proxy_the_forwarded_scheme_and_origins_are_trusted() -> None:
    p = start(SECRET_KEY="x", KAOHE_HTTPS_PROXY="True", CSRF_TRUSTED_ORIGINS="https://kaohe.example.gov.cn")
    assert p.returncode == 0, p.stderr
    assert "('HTTP_X_FORWARDED_PROTO', 'https') ['https://kaohe.example.gov.cn']" in p.stdout
