"""Test-wide settings for every test under tests/ (pytest loads this file from the rootdir).

Passwords are hashed with a cheap hasher in tests: PBKDF2 at its production cost takes over half a
second a password on a two-core machine, and every fixture user and every login pays it.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
