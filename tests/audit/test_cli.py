"""`kaohe audit verify`: exit 0 with the count when the chain is intact, 1 naming the first broken entry."""

from __future__ import annotations

import pytest

from kaohe.audit.models import AuditEntry
from kaohe.cli import main
from kaohe.indicators.models import Indicator
from kaohe.indicators.services import save_indicator


def test_verify_counts_the_entries_of_an_intact_chain(world, capsys) -> None:
    n = AuditEntry.objects.count()
    assert main(["audit", "verify"]) == 0
    out = capsys.readouterr().out
    assert f"已检查 {n} 条" in out and "intact" in out


def test_verify_names_the_tampered_entry_and_exits_1(world, capsys) -> None:
    a1 = Indicator.objects.get(cycle=world.cycle, code="A1")
    save_indicator(by=world.office, cycle=world.cycle, indicator=a1, data={"points": 25.0})
    victim = AuditEntry.objects.order_by("-id").first()
    AuditEntry.objects.filter(pk=victim.pk).update(reason="悄悄改过")
    assert main(["audit", "verify"]) == 1
    out = capsys.readouterr().out
    position = AuditEntry.objects.filter(id__lte=victim.pk).count()
    assert f"第 {position} 条 (#{victim.pk})" in out
    assert "office" in out and victim.object_repr in out and "内容与哈希不符" in out


def test_verify_finds_entries_cut_from_the_end(world, capsys) -> None:
    AuditEntry.objects.order_by("-id").first().delete()
    assert main(["audit", "verify"]) == 1
    assert "末尾" in capsys.readouterr().out


@pytest.mark.django_db
def test_verify_of_an_empty_log_is_intact(capsys) -> None:
    assert main(["audit", "verify"]) == 0
    assert "已检查 0 条" in capsys.readouterr().out


def test_verify_without_settings_says_what_is_missing(tmp_path) -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE")}
    p = subprocess.run([sys.executable, "-m", "kaohe.cli", "audit", "verify"], capture_output=True, text=True,
                       env=env, timeout=60)
    assert p.returncode == 2 and "SECRET_KEY" in p.stderr and "Traceback" not in p.stderr
