"""Logging in through a real browser: the login page, a wrong password, the home page per role."""

from __future__ import annotations

from .conftest import PASSWORDS, log_in


def test_office_logs_in_and_sees_the_demo_cycle(demo, page, shoot):
    page.goto("/")
    assert "/login/" in page.url
    assert page.locator("h1").inner_text() == "登录考核平台"
    shoot(page, "login")
    log_in(page, "office")
    assert page.get_by_role("link", name=demo.name).is_visible()
    assert page.get_by_role("link", name="新建考核周期").is_visible()


def test_a_wrong_password_is_refused_with_a_message(demo, page):
    page.goto("/login/")
    page.fill("#id_username", "office")
    page.fill("#id_password", PASSWORDS["office"] + "x")
    page.get_by_role("button", name="登录").click()
    assert page.get_by_text("用户名或密码不正确。").is_visible()
    assert "/login/" in page.url


def test_the_language_menu_switches_the_login_page_to_english(demo, page):
    page.goto("/login/")
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.locator("h1").inner_text() == "Log in to Kaohe"
    assert page.get_by_role("button", name="Log in").is_visible()
