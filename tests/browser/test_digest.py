"""The weekly digest end to end: Pat (Northwind's side) adds a to-do and moves his digest to
an hour of his own clock in Kolkata (5:30 off UTC); the digest run for that hour goes
through the real task worker, which mails him over SMTP; the "Mark done" link in it opens
without signing in, asks first, ticks the to-do off as Pat, and works only once."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import time
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from .conftest import MAIL_DEADLINE, REPO_ROOT, Mailbox, Server, _server_env
from .test_partner_invitation import sign_in

pytestmark = pytest.mark.browser

TITLE = "Send the countersigned reseller agreement"
KOLKATA = ZoneInfo("Asia/Kolkata")


def digest_with(mailbox: Mailbox, address: str, words: str) -> EmailMessage:
    """The digest to ``address`` that holds ``words`` (the worker may also have sent the
    demo people this week's digest when it started)."""
    deadline = time.monotonic() + MAIL_DEADLINE
    while time.monotonic() < deadline:
        for recipients, message in list(mailbox.messages):
            if address in recipients and str(message["Subject"]).startswith("Your week"):
                if words in message.get_body(preferencelist=("plain",)).get_content():
                    return message
        time.sleep(0.2)  # waiting for the worker, not an assertion
    seen = [(r, str(m["Subject"])) for r, m in mailbox.messages]
    pytest.fail(f"No digest to {address} with {words!r}; got {seen}")


def test_pat_ticks_a_todo_off_from_his_digest(
    server: Server, mailbox: Mailbox, smtp_server, e2e_database_url: str, new_context
) -> None:  # type: ignore[no-untyped-def]
    pat = new_context().new_page()
    sign_in(pat, server, "pat@northwind.example", "tandem-demo")

    # --- Pat adds a to-do to Northwind's shared list. ---------------------------------------
    pat.locator("nav").get_by_role("link", name=re.compile(r"^Northwind")).first.click()
    pat.get_by_role("link", name="To-dos", exact=True).click()
    todos_url = pat.url
    pat.fill("input[name=title]", TITLE)
    pat.get_by_role("button", name="Add to-do").click()
    expect(pat.locator(".messages")).to_contain_text(f"To-do added: {TITLE}")

    # --- He chooses a day and hour a week from now, on Kolkata's clock. ----------------------
    local = (dt.datetime.now(dt.UTC) + dt.timedelta(days=7)).astimezone(KOLKATA)
    pat.goto(server.url("/digest/"))
    expect(pat.get_by_role("heading", name="Weekly digest", level=1)).to_be_visible()
    expect(pat.get_by_label("Send me the weekly digest")).to_be_checked()
    pat.get_by_label("Day").select_option(str(local.weekday()))
    pat.get_by_label("Hour").select_option(str(local.hour))
    pat.get_by_label("Your time zone").select_option("Asia/Kolkata")
    pat.get_by_role("button", name="Save choices").click()
    expect(pat.locator(".messages")).to_contain_text("Your digest choices are saved.")
    expect(pat.locator("#digest-next")).to_contain_text(f"{local.hour:02d}:00 IST")

    # --- The hourly run for that hour, through the real worker. -----------------------------
    # Pat's hour starts at :30 UTC; the first run at or after it is the next top of the hour.
    due = local.replace(minute=0, second=0, microsecond=0).astimezone(dt.UTC)
    run = due + dt.timedelta(minutes=30)
    env = _server_env(e2e_database_url, site_url=server.base_url, smtp_port=smtp_server[1])
    enqueued = subprocess.run(
        [sys.executable, "manage.py", "send_digests", "--at", run.isoformat()],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert enqueued.returncode == 0, enqueued.stderr
    assert "Enqueued the digests due at" in enqueued.stdout

    mail = digest_with(mailbox, "pat@northwind.example", TITLE)
    text = mail.get_body(preferencelist=("plain",)).get_content()
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert "Your to-dos due in the coming week" in text and TITLE in html
    for hidden in ("Check Northwind's certification status", "Globex", "Partnerships that stalled"):
        assert hidden not in text and hidden not in html
    block = text.split(TITLE, 1)[1]
    found = re.search(r"Mark done: (\S+/digest/act/dg_[\w-]+/)", block)
    assert found and found.group(1).startswith(server.base_url), text
    link = found.group(1)

    # --- Anyone holding the link (no sign-in) is asked first, then it is done as Pat. --------
    reader = new_context().new_page()
    reader.goto(link)
    expect(reader.get_by_role("heading", name="Mark this to-do done?")).to_be_visible()
    expect(reader.locator(".card")).to_contain_text(TITLE)
    reader.get_by_role("button", name="Mark done").click()
    expect(reader.get_by_role("heading", name=f"Done: {TITLE}")).to_be_visible()

    pat.goto(todos_url)
    expect(pat.locator("#open")).not_to_contain_text(TITLE)

    # --- The same link again: refused, in words. ---------------------------------------------
    again = reader.goto(link)
    assert again is not None and again.status == 410
    expect(reader.get_by_role("heading", name="This link was already used")).to_be_visible()
