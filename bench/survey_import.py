"""Benchmark the survey answer import: generate N answer rows (15 million by default) as a CSV under bench/data/,
import them into a fresh PostgreSQL database and write the time and peak memory to docs/benchmarks.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/survey_import.py [--rows N]

The database named by DATABASE_URL is only used to create and drop `kaohe_bench_import`, which gets the migrations,
a cycle of 100 county units, a survey with 4 respondent groups and 2 questions, and then the import (the same code
path as `manage.py import_answers`). The import runs in a child process so that its peak resident memory is its
own (`ru_maxrss` of the child, plus the peak sampled from /proc while it runs).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data"
REPORT = ROOT / "docs" / "benchmarks.md"
SECTION = "## Survey answer import"
BENCH_DB = "kaohe_bench_import"
UNITS = 100
SEED = 8
CHUNK = 1_000_000
TARGET_S = 300.0
TARGET_MB = 1024.0
# respondent groups: (code, name, kind, share of the answers, the indicator they answer)
GROUPS = [("public", "群众", "public", 0.55, "S1"), ("service", "服务对象", "service_users", 0.20, "S1"),
          ("deputies", "人大代表、政协委员", "deputies", 0.10, "S1"), ("units", "机关单位", "units", 0.15, "S2")]
CHOICES = [("满意", 0.55), ("比较满意", 0.25), ("基本满意", 0.15), ("不满意", 0.05)]
COMMENT_SHARE = 0.001  # comments are rare in real surveys (Jiangsu: 300 for 3,115 people rating 94 agencies)
COMMENTS = ["办事效率有待提高，窗口排队时间长", "希望加强道路维护，联系电话13812345678", "服务态度很好，点赞",
            "建议公开办事流程，身份证号330102198001011234已登记", "环境整治成效明显"]


# ---- the file -------------------------------------------------------------------------------------------------------


def generate(rows: int, path: Path) -> None:
    """rows answers in chunks of a million (seeded): 8 ratings per respondent, groups and choices in a realistic mix,
    times over May 2026, about one comment per thousand answers."""
    import numpy as np
    import polars as pl

    rng = np.random.default_rng(SEED)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    group_p = np.array([g[3] for g in GROUPS])
    choice_p = np.array([c[1] for c in CHOICES])
    start = 1_777_593_600  # 2026-05-01 00:00, written as local time
    with tmp.open("wb") as f:
        for lo in range(0, rows, CHUNK):
            n = min(CHUNK, rows - lo)
            idx = np.arange(lo, lo + n)
            respondent = idx // 8
            g = rng.choice(len(GROUPS), size=n, p=group_p)
            u = rng.integers(1, UNITS + 1, size=n)
            c = rng.choice(len(CHOICES), size=n, p=choice_p)
            secs = start + rng.integers(0, 31 * 86400, size=n)
            has_comment = rng.random(n) < COMMENT_SHARE
            comment = np.where(has_comment, rng.integers(0, len(COMMENTS), size=n), -1)
            df = pl.DataFrame({
                "受访者编号": pl.Series(respondent).cast(pl.String).str.zfill(8).str.pad_start(9, "T"),
                "群体": pl.Series([x[0] for x in GROUPS])[g],
                "单位": pl.Series(u).cast(pl.String).str.zfill(3).str.pad_start(4, "U"),
                "指标": pl.Series([x[4] for x in GROUPS])[g],
                "选项": pl.Series([x[0] for x in CHOICES])[c],
                "意见建议": pl.Series([None] + COMMENTS, dtype=pl.String)[comment + 1],
                "时间": pl.from_epoch(pl.Series(secs), time_unit="s").dt.strftime("%Y-%m-%d %H:%M:%S"),
            })
            df.write_csv(f, include_header=lo == 0)
    tmp.replace(path)


# ---- the database -----------------------------------------------------------------------------------------------


def admin_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/postgres")
    return url


def bench_url(url: str) -> str:
    return re.sub(r"/[^/]*$", f"/{BENCH_DB}", url)


def recreate(url: str, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(re.sub(r"^postgres(ql)?://", "postgresql://", url), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {BENCH_DB}")


def build_survey() -> int:
    """Migrate, then an office user, a cycle of 100 counties with satisfaction indicators S1 and S2, an open survey
    whose public, service-user and deputy groups rate every county on S1 and the units group on S2."""
    from django.contrib.auth.models import User
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from kaohe.indicators.services import create_cycle, import_scenario
    from kaohe.organisation.models import Domain, Profile, Unit
    from kaohe.surveys import services as svc
    from kaohe.surveys.models import Group, Question

    dept, _ = Domain.objects.get_or_create(code="dept", defaults={"name": "市级部门", "order": 2})
    office_unit = Unit.objects.create(code="KHB", name="市考核办", kind=Unit.Kind.OFFICE, domain=dept)
    office = User.objects.create_user("bench-office")
    Profile.objects.create(user=office, role=Profile.Role.OFFICE, unit=office_unit, name="考核办")
    cycle = create_cycle(by=office, year=2026, name="2026年度满意度测评（导入基准）")
    scenario = {
        "units": [{"id": f"U{i:03d}", "name": f"第{i}县", "domain": "county"} for i in range(1, UNITS + 1)],
        "indicators": [
            {"id": "S", "name": "满意度", "points": 20},
            {"id": "S1", "parent": "S", "name": "群众满意度", "points": 10, "method": "satisfaction"},
            {"id": "S2", "parent": "S", "name": "机关满意度", "points": 10, "method": "satisfaction"},
        ],
    }
    import_scenario(by=office, cycle=cycle, scenario=scenario, source="bench")
    survey = svc.create_survey(by=office, cycle=cycle, title="2026年度满意度测评（电话调查导入）")
    groups = {code: svc.add_group(by=office, survey=survey, code=code, name=name, kind=kind,
                                  channel=Group.Channel.IMPORT) for code, name, kind, _s, _i in GROUPS}
    units = list(cycle.units.all())
    for ind in ("S1", "S2"):
        svc.add_question(by=office, survey=survey, indicator=cycle.indicators.get(code=ind),
                         direction=Question.Direction.BOTTOM_UP if ind == "S1" else Question.Direction.TOP_DOWN,
                         text=ind, units=units, groups=[groups[c] for c, _n, _k, _s, i in GROUPS if i == ind])
    svc.set_status(by=office, survey=survey, status="open")
    return survey.pk


def verify(survey_pk: int, rows: int) -> dict[str, int]:
    from django.db.models import Sum

    from kaohe.surveys.models import Comment, Count, ImportBatch, ImportedAnswer

    batch = ImportBatch.objects.get(survey_id=survey_pk)
    figures = {"state": batch.state, "counted": Count.objects.filter(survey_id=survey_pk).aggregate(n=Sum("n"))["n"],
               "imported": ImportedAnswer.objects.count(), "comments": Comment.objects.count()}
    if batch.state != "done" or figures["counted"] != rows or figures["imported"] != rows:
        sys.exit(f"import incomplete: {figures}, problems {batch.problems[:5]}")
    return figures


# ---- the measured child -----------------------------------------------------------------------------------------


def peak_sampler(pid: int, peak: list[int], stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak[0] = max(peak[0], int(line.split()[1]))
        except OSError:
            pass
        stop.wait(0.2)


def run_import(url: str, survey_pk: int, path: Path) -> tuple[float, float, float]:
    """Wall time of `manage.py import_answers`, its maximum RSS (MB) from rusage and from /proc sampling."""
    env = os.environ | {"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "kaohe.web.settings"}
    env.setdefault("SECRET_KEY", "bench")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    child = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "import_answers", str(survey_pk), str(path),
                              "--by", "bench-office"], env=env, cwd=ROOT)
    peak, stop = [0], threading.Event()
    sampler = threading.Thread(target=peak_sampler, args=(child.pid, peak, stop), daemon=True)
    sampler.start()
    code = child.wait()
    wall = time.perf_counter() - t
    stop.set()
    sampler.join()
    if code:
        sys.exit(f"import_answers exited with {code}")
    rusage = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(rusage, before) / 1024, peak[0] / 1024


# ---- the report -------------------------------------------------------------------------------------------------


def write_report(rows: int, size_mb: float, wall: float, rss: float, hwm: float, load: str, load_after: str,
                 figures: dict) -> str:
    import polars as pl
    import psycopg

    def met(ok: bool) -> str:
        return "yes" if ok else "NO"

    peak = max(rss, hwm)
    text = f"""{SECTION}

Produced by `bench/survey_import.py` (`DATABASE_URL=postgres://…/postgres .venv/bin/python bench/survey_import.py`;
`--rows N` for a smaller run). The file is generated with seed {SEED} into `bench/data/` (not committed): {rows:,} answer
rows ({size_mb:,.0f} MB of UTF-8 CSV), 8 ratings per respondent, groups public 55 % / service users 20 % / deputies
10 % / units 15 %, choices 满意 55 % / 比较满意 25 % / 基本满意 15 % / 不满意 5 %, a time on every row, a comment on
about one row in a thousand ({figures['comments']:,} comments, phone and ID numbers masked). The survey: 100 county
units, 4 groups, 2 questions (S1 answered by three groups, S2 by the units group), every unit rated by both.

The import is `manage.py import_answers` (wall time from starting the process to its end) in a fresh PostgreSQL
database (`{BENCH_DB}`, created, migrated and dropped by the script). The importer cuts the file into blocks of whole
records (8 MB, ~150,000 rows); a reader thread parses and checks each block with Polars against the survey's design
(groups, units, the question answered by the group, the unit rated by the question, the choice, the time), at most
two blocks ahead, while the main thread loads the current one with `COPY … FROM STDIN (FORMAT csv)`; the counts, the
comments, the batch row and the audit entry are written in the same single transaction. `surveys_importedanswer` has
no foreign-key constraints (a trigger query per row and key made the first version load ~10,000 rows/s; the
importer checks the ids and locks the design instead) and a BRIN rather than a B-tree index on the batch. Afterwards
the script checks that the counts add up to the rows and that every row is in `surveys_importedanswer`.

| rows | wall time | rows/s | peak RSS of the import process | machine load before / after (1, 5, 15 min) |
| ---: | ---: | ---: | ---: | --- |
| {rows:,} | {wall:.1f} s | {rows / wall:,.0f} | {peak:,.0f} MB | {load} / {load_after} |

| target | goal | measured | met |
| --- | ---: | ---: | :---: |
| 15 million rows, wall time | < 5 min | {wall / 60:.1f} min{'' if rows == 15_000_000 else f' (for {rows:,} rows)'} | {met(wall < TARGET_S)} |
| peak memory of the import | < 1 GB | {peak:,.0f} MB | {met(peak < TARGET_MB)} |

Peak RSS is the larger of the child's `ru_maxrss` and its `VmHWM` sampled every 0.2 s; the PostgreSQL server's own
memory (shared buffers) is not included. Machine: {os.cpu_count()} cores, Linux {platform.release()}, Python
{platform.python_version()}, Polars {pl.__version__}, psycopg {psycopg.__version__}, {server_version()}.
"""
    report = REPORT.read_text() if REPORT.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(report):
        report = pattern.sub(lambda _m: text + "\n", report)
    else:
        report = report.rstrip("\n") + "\n\n" + text
    REPORT.write_text(report.rstrip("\n") + "\n")
    return text


def server_version() -> str:
    from django.db import connection

    return "PostgreSQL " + connection.cursor().connection.info.parameter_status("server_version")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=15_000_000)
    ap.add_argument("--no-report", action="store_true", help="print the figures, leave docs/benchmarks.md alone")
    ap.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    args = ap.parse_args()
    url = admin_url()
    path = DATA / f"survey_answers_{args.rows}.csv"
    if not path.exists():
        t = time.perf_counter()
        print(f"generating {args.rows:,} rows into {path} …", file=sys.stderr)
        generate(args.rows, path)
        print(f"  {time.perf_counter() - t:.1f} s", file=sys.stderr)
    recreate(url)
    try:
        os.environ["DATABASE_URL"] = bench_url(url)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaohe.web.settings")
        os.environ.setdefault("SECRET_KEY", "bench")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        survey_pk = build_survey()
        from django.db import connection

        connection.close()
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        wall, rss, hwm = run_import(bench_url(url), survey_pk, path)
        load_after = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        figures = verify(survey_pk, args.rows)
        size_mb = path.stat().st_size / 2**20
        print(f"{args.rows:,} rows in {wall:.1f} s ({args.rows / wall:,.0f} rows/s), peak RSS {max(rss, hwm):,.0f} MB "
              f"(rusage {rss:,.0f} MB, VmHWM {hwm:,.0f} MB), load {load} / {load_after}; {figures}")
        if not args.no_report:
            write_report(args.rows, size_mb, wall, rss, hwm, load, load_after, figures)
        connection.close()
    finally:
        if not args.keep:
            recreate(url, drop_only=True)


if __name__ == "__main__":
    main()
