"""The analysis pages in a real browser on the demo city: the office opens each one, the county its own
trend; every chart must actually draw (a canvas with something on it), offline, from the static ECharts."""

from __future__ import annotations

import datetime as dt

import pytest

from kaohe.indicators.gates import published_run, today
from kaohe.indicators.models import Cycle
from kaohe.organisation.models import Unit
from kaohe.results.services import announce_run, compute_cycle

from .conftest import log_in


@pytest.fixture
def city(transactional_db) -> Cycle:
    """The demo city with whatever history cycles it holds; its newest cycle (the shared `demo` fixture
    expects a single cycle)."""
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo", stdout=StringIO())
    return newest_cycle()

# how many pixels of a chart's canvas are not background: an empty canvas has none
INKED = """(sel) => {
  const c = document.querySelector(sel + " canvas");
  if (!c) return 0;
  const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) { if (d[i + 3] > 0 && (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240)) n++; }
  return n;
}"""


def newest_cycle() -> Cycle:
    """The demo's current cycle, with a public year-end result (published here as the office would if the demo
    has only its half-year one), so that the trend has its latest point."""
    from django.contrib.auth.models import User

    cycle = Cycle.objects.order_by("-year", "-pk").first()
    if published_run(cycle) is None:
        office = User.objects.get(username="office")
        run = compute_cycle(by=office, cycle=cycle, stage="year_end")
        announce_run(by=office, run=run, until=today() + dt.timedelta(days=7), reason="年终考核结果公示")
    return cycle


def drawn(pg, sel: str) -> int:
    pg.locator(f"{sel} canvas").first.wait_for()
    pg.wait_for_timeout(800)  # the bars and lines have grown to their length
    return pg.evaluate(INKED, sel)


def test_the_office_opens_every_analysis_page_and_the_charts_draw(city, page, shoot):
    cycle = city
    run = published_run(cycle)
    log_in(page, "office")
    page.goto(f"/cycles/{cycle.pk}/analysis/")
    assert page.get_by_role("heading", name="重点工作完成情况").is_visible()
    assert "完成率" in page.content()

    page.get_by_role("link", name="指标分析").click()
    assert page.locator("#kh-run").input_value() == str(run.pk)  # the public year-end version by default
    assert drawn(page, "#chart-bands") > 500
    assert page.locator("table").filter(has_text="涪川区").count() >= 1
    shoot(page, "analysis-indicators")

    page.goto(f"/cycles/{cycle.pk}/analysis/domains/")
    assert drawn(page, "#chart-domains") > 500
    shoot(page, "analysis-domains")

    page.goto(f"/cycles/{cycle.pk}/analysis/people/")
    assert drawn(page, "#chart-people") > 500
    assert page.locator("table").filter(has_text="金强").count() == 1
    shoot(page, "analysis-people")


def test_the_county_reads_its_own_trend_and_nothing_of_its_neighbours(city, page, shoot):
    cycle = city
    own, other = Unit.objects.get(code="X01"), Unit.objects.get(code="X02")
    log_in(page, "county")
    page.goto(f"/cycles/{cycle.pk}/analysis/")
    page.get_by_role("link", name="本单位趋势分析").click()
    assert own.name in page.locator("h1").inner_text()
    assert drawn(page, "#chart-trend") > 500
    assert drawn(page, "#chart-radar") > 500
    assert other.name not in page.content()
    page.set_viewport_size({"width": 1366, "height": 1400})  # the trend, its table and the radar in one picture
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(800)  # the charts have resized to the taller window
    shoot(page, "analysis-trend")
    assert page.goto(f"/cycles/{cycle.pk}/analysis/units/{other.pk}/").status == 404
    assert page.goto(f"/cycles/{cycle.pk}/analysis/indicators/").status == 403
