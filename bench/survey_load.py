"""Load test of the survey answering page against 127.0.0.1 only, with PostgreSQL; writes the section "Survey
answering page" of docs/benchmarks.md.

    .venv/bin/python bench/survey_load.py --seconds 20

It creates a fresh database (dropped at the end), migrates it, makes an open survey with one question rating
`--units` units and enough one-time codes, then for each server configuration (gunicorn sync and gthread workers,
DEBUG=False, behind a "proxy": KAOHE_TRUSTED_PROXY=True and a random X-Forwarded-For address per respondent)
lets `--connections` simulated respondents submit codes' forms (POST) as fast as the server answers, for
`--seconds`: once submitting only (the page was opened earlier), once opening each page (GET) right before. The client is asyncio with raw HTTP/1.1 over keep-alive sockets (cheap on the
CPU it shares with the server). Accepted = 200 thank-you pages; afterwards the database must hold exactly that
many submissions and accepted x units answers (zero lost), and folding them into the counts must add up too.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "docs" / "benchmarks.md"
SECTION = "## Survey answering page"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
THANKS = "提交成功".encode()
CHOICES = ["satisfied", "fairly_satisfied", "basically_satisfied", "unsatisfied"]
TARGET_RATINGS = 500  # answers accepted per second, issue 8: counted as whole submissions
HOST = "127.0.0.1"


@dataclass
class Config:
    kind: str  # sync | gthread
    workers: int
    threads: int = 1
    submit_only: bool = False  # the page was opened earlier: each respondent only submits (POST)

    @property
    def label(self) -> str:
        return f"{self.kind} {self.workers} workers" + (f" x {self.threads} threads" if self.kind == "gthread" else "")

    @property
    def mode(self) -> str:
        return "submit only (POST)" if self.submit_only else "open + submit (GET, POST)"


@dataclass
class Figures:
    config: Config
    seconds: float = 0.0
    accepted: int = 0
    refused: dict[int, int] = field(default_factory=dict)  # status -> count, any non-200
    get_ms: list[float] = field(default_factory=list)
    post_ms: list[float] = field(default_factory=list)
    server_get_ms: list[float] = field(default_factory=list)
    server_post_ms: list[float] = field(default_factory=list)
    submissions_in_db: int = 0
    answers_in_db: int = 0
    flagged: int = 0
    cpu_load: tuple[float, float, float] = (0.0, 0.0, 0.0)
    client_cpu: float = 0.0  # share of one core the client used


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


# ---- the database and the survey ----------------------------------------------------------------------------


def admin_dsn(base: str) -> str:
    return base.rsplit("/", 1)[0] + "/postgres"


def recreate_database(base: str, name: str, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(admin_dsn(base), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare(n_units: int, n_tokens: int) -> dict:
    """Migrate, then an open survey: one question rating n_units units, answered through one-time codes."""
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connections

    from kaohe.indicators.services import create_cycle, import_scenario
    from kaohe.organisation.models import Profile
    from kaohe.surveys import services as svc
    from kaohe.surveys.models import Group, Question

    call_command("migrate", verbosity=0)
    office = User.objects.create_user("bench-office", password=None)
    Profile.objects.create(user=office, role=Profile.Role.OFFICE, name="考核办")
    cycle = create_cycle(by=office, year=2026, name="满意度测评压力测试")
    import_scenario(by=office, cycle=cycle, source="bench", scenario={
        "units": [{"id": f"C{i:02d}", "name": f"第{i}县", "domain": "county"} for i in range(1, n_units + 1)],
        "indicators": [{"id": "S", "name": "群众满意度", "points": 10},
                       {"id": "S1", "parent": "S", "name": "群众满意度测评", "points": 10, "method": "satisfaction"}]})
    survey = svc.create_survey(by=office, cycle=cycle, title="2026年度群众满意度测评（压力测试）")
    group = svc.add_group(by=office, survey=survey, code="public", name="群众", kind=Group.Kind.PUBLIC,
                          channel=Group.Channel.INVITATION)
    units = list(cycle.units.order_by("code"))
    question = svc.add_question(by=office, survey=survey, indicator=cycle.indicators.get(code="S1"),
                                direction=Question.Direction.BOTTOM_UP, text="您对以下县（区）的工作是否满意？",
                                units=units, groups=[group])
    svc.set_status(by=office, survey=survey, status="open")
    codes = []
    while len(codes) < n_tokens:  # at most 100,000 codes per batch
        codes += [t.code for t in svc.make_tokens(by=office, survey=survey, group=group,
                                                  n=min(100_000, n_tokens - len(codes)))]
    connections.close_all()
    return {"survey": survey.pk, "fields": [f"a{question.pk}_{u.pk}" for u in units], "codes": codes}


def db_counts(survey: int) -> tuple[int, int, int]:
    from django.db import connections

    from kaohe.surveys.models import Answer, Submission

    subs = Submission.objects.filter(survey_id=survey)
    out = (subs.count(), Answer.objects.filter(submission__survey_id=survey).count(), subs.filter(status="flagged").count())
    connections.close_all()
    return out


def fold(survey: int) -> tuple[int, int, float]:
    """Fold every counted submission into the counts: (submissions folded, answers counted, seconds)."""
    from django.db import connections
    from django.db.models import Sum

    from kaohe.surveys import services as svc
    from kaohe.surveys.models import Count, Survey

    s = Survey.objects.get(pk=survey)
    t = time.perf_counter()
    n = svc.fold_counts(s)
    took = time.perf_counter() - t
    total = Count.objects.filter(survey=s).aggregate(n=Sum("n"))["n"] or 0
    connections.close_all()
    return n, total, took


# ---- the server ---------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_server(cfg: Config, env: dict, port: int, log: Path) -> subprocess.Popen:
    args = [str(GUNICORN), "kaohe.web.wsgi:application", "--bind", f"{HOST}:{port}", "--workers", str(cfg.workers),
            "--worker-class", cfg.kind, "--backlog", "2048", "--access-logfile", str(log),
            "--access-logformat", "%(m)s %(s)s %(D)s", "--error-logfile", str(log.with_suffix(".err"))]
    if cfg.kind == "gthread":
        args += ["--threads", str(cfg.threads), "--keep-alive", "5"]
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn stopped: see {log.with_suffix('.err')}") from None
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("gunicorn did not start within 60 s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def server_times(log: Path) -> tuple[list[float], list[float]]:
    """Per request time inside gunicorn (ms), GETs and POSTs with status 200, from the access log (%(D)s µs)."""
    gets, posts = [], []
    for line in log.read_text().splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] == "200":
            (gets if parts[0] == "GET" else posts).append(int(parts[2]) / 1000)
    return gets, posts


# ---- the client ---------------------------------------------------------------------------------------------


class Conn:
    """One HTTP/1.1 connection, reopened whenever the server closes it (gunicorn's sync workers always do)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        head = f"{method} {path} HTTP/1.1\r\nHost: {HOST}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        if body:
            head += f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
        self.writer.write(head.encode() + b"\r\n" + body)
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("closed")
        status = int(status_line.split()[1])
        length, close = 0, False
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "connection" and value.strip().lower() == "close":
                close = True
        content = await self.reader.readexactly(length) if length else b""
        if close:
            self.close()
        return status, content

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def respondent(port: int, codes: list[str], fields: list[str], end: float, fig: Figures, rnd: random.Random,
                     submit_only: bool = False) -> None:
    conn = Conn(port)
    try:
        while codes and time.perf_counter() < end:
            code = codes.pop()
            ip = f"{rnd.randint(11, 223)}.{rnd.randint(0, 255)}.{rnd.randint(0, 255)}.{rnd.randint(1, 254)}"
            headers = {"X-Forwarded-For": ip, "User-Agent": "kaohe-bench"}
            path = f"/s/{code}/"
            if not submit_only:
                t = time.perf_counter()
                status, _ = await conn.request("GET", path, headers)
                fig.get_ms.append((time.perf_counter() - t) * 1000)
                if status != 200:
                    fig.refused[status] = fig.refused.get(status, 0) + 1
                    continue
            data = {f: rnd.choice(CHOICES) for f in fields}
            if rnd.random() < 0.1:  # some leave a comment
                q = fields[0].split("_")[0][1:]
                data |= {f"c{q}": "窗口办事排队时间较长，希望增加自助设备。", f"cu{q}": fields[0].split("_")[1]}
            body = urlencode(data).encode()
            t = time.perf_counter()
            status, content = await conn.request("POST", path, headers, body)
            fig.post_ms.append((time.perf_counter() - t) * 1000)
            if status == 200 and THANKS in content:
                fig.accepted += 1
            else:
                fig.refused[status] = fig.refused.get(status, 0) + 1
    finally:
        conn.close()


async def warm_up(port: int, codes: list[str], n: int, fresh: list[str], fields: list[str]) -> None:
    """Every worker imports Django, connects and caches the design before the clock starts (GETs of the warm-up
    codes), then a few answer sheets are submitted with fresh codes (so that the answers' tables have statistics:
    see analyze())."""
    conns = [Conn(port) for _ in range(8)]
    for i in range(n):
        await conns[i % 8].request("GET", f"/s/{codes[i % len(codes)]}/", {"X-Forwarded-For": "192.0.2.1"})
    for i in range(n):
        body = urlencode({f: CHOICES[(i + j) % 4] for j, f in enumerate(fields)}).encode()
        await conns[i % 8].request("POST", f"/s/{fresh.pop()}/", {"X-Forwarded-For": f"198.51.100.{i % 250 + 1}"}, body)
    for c in conns:
        c.close()


def analyze() -> None:
    """ANALYZE the survey tables, as autovacuum does within a minute of a survey's start: a fresh database has no
    statistics, and the planner may then read the burst check on the survey's time index (every submission of the
    last minutes) instead of the (survey, address, time) one."""
    from django.db import connection, connections

    with connection.cursor() as cur:
        cur.execute("ANALYZE surveys_submission, surveys_answer, surveys_token")
    connections.close_all()


def run_load(cfg: Config, env: dict, setup: dict, codes: list[str], warm: list[str], seconds: float,
             connections: int, workdir: Path) -> Figures:
    """One measured run; the respondents take their codes off the end of `codes` (each is used once)."""
    port = free_port()
    log = workdir / f"access-{cfg.kind}-{cfg.workers}x{cfg.threads}-{int(cfg.submit_only)}.log"
    proc = start_server(cfg, env, port, log)
    fig = Figures(cfg)
    try:
        asyncio.run(warm_up(port, warm, 64, codes, setup["fields"]))
        analyze()
        before = db_counts(setup["survey"])
        log.write_text("")  # the warm-up's lines are not measured
        rnd = random.Random(f"{cfg.label} {time.time()}")  # another run's addresses and answers would be duplicates

        async def main() -> None:
            end = time.perf_counter() + seconds
            await asyncio.gather(*(respondent(port, codes, setup["fields"], end, fig, random.Random(rnd.random()),
                                              cfg.submit_only) for _ in range(connections)))

        t, cpu = time.perf_counter(), time.process_time()
        asyncio.run(main())
        fig.seconds = time.perf_counter() - t
        fig.client_cpu = (time.process_time() - cpu) / fig.seconds
        fig.cpu_load = os.getloadavg()
    finally:
        stop_server(proc)
    after = db_counts(setup["survey"])
    fig.submissions_in_db, fig.answers_in_db, fig.flagged = (a - b for a, b in zip(after, before))
    fig.server_get_ms, fig.server_post_ms = server_times(log)
    return fig


# ---- the report ---------------------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}"


def pg_version(base: str) -> str:
    import psycopg

    with psycopg.connect(admin_dsn(base)) as conn:
        return conn.execute("SHOW server_version").fetchone()[0]


def report(figs: list[Figures], args, units: int, fold_line: str, load_before: tuple, pg: str) -> str:
    def rate(f: Figures) -> float:
        return f.accepted / f.seconds

    lines = [SECTION, "",
             f"Produced by `.venv/bin/python bench/survey_load.py --seconds {args.seconds:g}` on "
             f"{dt.date.today().isoformat()}: {machine()}, PostgreSQL {pg}, gunicorn with DEBUG=False, all on "
             f"127.0.0.1. Load average before the run {load_before[0]:.2f}; the client, the server and PostgreSQL "
             "share the same cores.", "",
             f"Each simulated respondent submits an invitation link's form (POST): one question rating {units} units, "
             "a random choice for each, a comment one time in ten, a random X-Forwarded-For address (as behind a "
             f"reverse proxy, `KAOHE_TRUSTED_PROXY=True`). {args.connections} respondents at once, each as fast as "
             "the server answers, after a warm-up (64 pages opened, 64 sheets submitted) and an `ANALYZE` of the "
             "survey tables (autovacuum's job in a running survey; a fresh database has no statistics). Two runs per server: **submit only** — people open the page, think for a minute, "
             "then submit, so the answers accepted per second are the POSTs the server accepts per second — and "
             "**open + submit**, where each respondent also opens the page (GET) right before submitting. "
             f"A submission (one respondent's answers) holds {units} ratings. The target (issue 8) is "
             f"{TARGET_RATINGS} accepted answers per second, read as submissions.", "",
             "| Server | Mode | Submissions/s | Ratings/s | GET p50 / p95 / p99 (ms) | POST p50 / p95 / p99 (ms) | "
             "Server time GET p50 / p99 (ms) | Server time POST p50 / p99 (ms) | Accepted | Lost | Client CPU | "
             "Load after |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for f in figs:
        lost = f.accepted - f.submissions_in_db
        get = (f"{pct(f.get_ms, 50):.1f} / {pct(f.get_ms, 95):.1f} / {pct(f.get_ms, 99):.1f}" if f.get_ms else "–")
        server_get = f"{pct(f.server_get_ms, 50):.1f} / {pct(f.server_get_ms, 99):.1f}" if f.server_get_ms else "–"
        lines.append(
            f"| {f.config.label} | {f.config.mode} | {rate(f):,.0f} | {rate(f) * units:,.0f} | {get} | "
            f"{pct(f.post_ms, 50):.1f} / {pct(f.post_ms, 95):.1f} / {pct(f.post_ms, 99):.1f} | {server_get} | "
            f"{pct(f.server_post_ms, 50):.1f} / {pct(f.server_post_ms, 99):.1f} | "
            f"{f.accepted:,} | {lost} | {f.client_cpu:.0%} | {f.cpu_load[0]:.2f} |")
    ok = all(f.accepted == f.submissions_in_db and f.answers_in_db == f.accepted * units and not f.refused for f in figs)
    lines.append("")
    for submit_only in (True, False):
        runs = [f for f in figs if f.config.submit_only == submit_only]
        if not runs:
            continue
        best = max(runs, key=rate)
        lines.append(
            f"Best, {best.config.mode}: **{rate(best):,.0f} submissions/s** ({rate(best) * units:,.0f} ratings/s) with "
            f"{best.config.label} — {'meets' if rate(best) >= TARGET_RATINGS else 'BELOW'} the target of "
            f"{TARGET_RATINGS}/s; POST p50 {pct(best.post_ms, 50):.1f} ms, p99 {pct(best.post_ms, 99):.1f} ms; "
            f"server time POST p50 {pct(best.server_post_ms, 50):.1f} ms, p99 {pct(best.server_post_ms, 99):.1f} ms"
            + (f", GET p50 {pct(best.server_get_ms, 50):.1f} ms, p99 {pct(best.server_get_ms, 99):.1f} ms"
               if best.server_get_ms else "") + " (target: under 100 ms on the server).")
    lines += ["",
              f"Zero lost: {'yes' if ok else 'NO'} — in every run the database holds exactly one submission per "
              f"thank-you page and {units} ratings per submission"
              + ("" if ok else f" (refused: {[f.refused for f in figs]})") + f". {fold_line}",
              "Latency is measured by the client from sending the request to the last byte of the answer "
              "(it includes waiting for a free worker); server time is gunicorn's own per-request time (`%(D)s`).",
              ""]
    return "\n".join(lines)


def write_section(text: str) -> None:
    old = REPORT.read_text(encoding="utf-8") if REPORT.exists() else "# Benchmarks\n"
    if SECTION in old:
        start = old.index(SECTION)
        nxt = re.search(r"^## ", old[start + len(SECTION):], flags=re.M)
        end = start + len(SECTION) + nxt.start() if nxt else len(old)
        new = old[:start] + text + ("\n" + old[end:] if nxt else "")
    else:
        new = old.rstrip("\n") + "\n\n" + text
    REPORT.write_text(new.rstrip("\n") + "\n", encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=20, help="length of each measured run")
    ap.add_argument("--units", type=int, default=10, help="units rated by the question")
    ap.add_argument("--connections", type=int, default=16, help="simulated respondents at once")
    ap.add_argument("--servers", default="sync:2,sync:3,sync:4,sync:8,gthread:4x8",
                    help="gunicorn configurations: sync:<workers> or gthread:<workers>x<threads>, comma-separated")
    ap.add_argument("--database-url", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432/"
                                                                          "kaohe_bench_load"))
    ap.add_argument("--no-report", action="store_true", help="print the section, do not write docs/benchmarks.md")
    ap.add_argument("--keep", action="store_true", help="keep the database afterwards (to look into it)")
    args = ap.parse_args()
    if "127.0.0.1" not in args.database_url and "localhost" not in args.database_url:
        ap.error("the load test runs against this machine only")
    configs = []
    for spec in args.servers.split(","):
        kind, _, size = spec.partition(":")
        w, _, t = size.partition("x")
        for submit_only in (False, True):
            configs.append(Config(kind, int(w), int(t or 1), submit_only))

    name = args.database_url.rsplit("/", 1)[1]
    workdir = Path(tempfile.mkdtemp(prefix="kaohe-survey-load-"))
    env = {**os.environ, "DATABASE_URL": args.database_url, "DEBUG": "False", "SECRET_KEY": "bench-" + os.urandom(8).hex(),
           "ALLOWED_HOSTS": HOST, "KAOHE_TRUSTED_PROXY": "True", "KAOHE_VAR": str(workdir), "LOG_LEVEL": "ERROR",
           "DJANGO_SETTINGS_MODULE": "kaohe.web.settings"}
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS",
                                           "KAOHE_TRUSTED_PROXY", "KAOHE_VAR", "LOG_LEVEL", "DJANGO_SETTINGS_MODULE")})
    sys.path.insert(0, str(ROOT))
    load_before = os.getloadavg()
    # enough codes for a fast server: 1,500 submissions/s per run, plus the warm-up
    n_tokens = int(1500 * args.seconds * len(configs)) + 1000
    print(f"fresh database {name}; {n_tokens:,} codes; load average {load_before[0]:.2f}", flush=True)
    recreate_database(args.database_url, name)
    try:
        t = time.perf_counter()
        setup = prepare(args.units, n_tokens)
        print(f"prepared in {time.perf_counter() - t:.1f} s", flush=True)
        warm, codes = setup["codes"][:200], setup["codes"][200:]  # the warm-up only opens its codes
        figs = []
        for cfg in configs:
            fig = run_load(cfg, env, setup, codes, warm, args.seconds, args.connections, workdir)
            subs = fig.accepted / fig.seconds
            print(f"{cfg.label}, {cfg.mode}: {subs:,.0f} submissions/s = {subs * args.units:,.0f} answers/s; "
                  f"POST p50 {pct(fig.post_ms, 50):.1f} ms p99 {pct(fig.post_ms, 99):.1f} ms; accepted "
                  f"{fig.accepted:,}, in the database {fig.submissions_in_db:,} submissions ({fig.flagged} flagged) / "
                  f"{fig.answers_in_db:,} answers; refused {fig.refused}; load {fig.cpu_load[0]:.2f}", flush=True)
            figs.append(fig)
        n, total, took = fold(setup["survey"])
        fold_line = (f"Folding all {n:,} submissions (the accepted ones and the warm-ups') into the counts afterwards "
                     f"took {took:.1f} s and the counts sum to {total:,} answers ({'=' if total == n * args.units else '≠'} "
                     f"submissions × {args.units}).")
        print(fold_line)
        text = report(figs, args, args.units, fold_line, load_before, pg_version(args.database_url))
        if args.no_report:
            print(text)
        else:
            write_section(text)
            print(f"wrote the section “{SECTION[3:]}” of {REPORT.relative_to(ROOT)}")
        return 0 if all(f.accepted == f.submissions_in_db for f in figs) else 1
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            recreate_database(args.database_url, name, drop_only=True)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
