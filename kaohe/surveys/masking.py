"""Personal data in comments (意见建议) masked before the unit concerned reads them: phone and ID numbers.

Pure: no Django. Keeps enough to recognise the kind of number (138****5678, 5101**********123X), never enough to
call or identify someone.
"""

from __future__ import annotations

import re

# ID card numbers first (18 digits, the last may be X; the old 15-digit form), then mobiles, then landlines.
_ID18 = re.compile(r"(?<![0-9A-Za-z])([1-9]\d{5})(\d{8})(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<!\d)([1-9]\d{5})(\d{6})(\d{3})(?!\d)")
_MOBILE = re.compile(r"(?<!\d)((?:\+?86[- ]?)?1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})[- ]?(\d{3,4})(\d{4})(?!\d)")
_EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*(@[A-Za-z0-9.-]+\.[A-Za-z]{2,})")


def mask(text: str) -> str:
    """The text with ID numbers, mobile and landline numbers and e-mail addresses masked."""
    text = _ID18.sub(lambda m: m.group(1)[:4] + "*" * 10 + m.group(3)[-4:], text)
    text = _ID15.sub(lambda m: m.group(1)[:4] + "*" * 8 + m.group(3), text)
    text = _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(3), text)
    text = _LANDLINE.sub(lambda m: m.group(1) + "-" + "*" * len(m.group(2)) + m.group(3), text)
    return _EMAIL.sub(lambda m: m.group(1) + "***" + m.group(2), text)
