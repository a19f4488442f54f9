"""A partner asks, the manager answers (seed 002: clear asks both ways): Pat at Northwind
asks Maria for something in his browser; Maria, told by e-mail, answers it in hers; Pat
sees the answer and how long it took."""

from __future__ import annotations

import re
import time
from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from .conftest import MAIL_DEADLINE, Mailbox, Server
from .test_partner_invitation import sign_in

pytestmark = pytest.mark.browser

TITLE = "Intro to your retail lead at Hansen Foods"
DETAILS = "They are choosing an analytics vendor for 60 stores before Christmas."
ANSWER = "Introduced you to Karin Hansen by e-mail this morning."


def mail_about(mailbox: Mailbox, address: str, words: str) -> EmailMessage:
    """The first message to ``address`` whose subject holds ``words`` (other tests of the
    session mail the same demo people)."""
    deadline = time.monotonic() + MAIL_DEADLINE
    while time.monotonic() < deadline:
        for recipients, message in list(mailbox.messages):
            if address in recipients and words in str(message["Subject"]):
                return message
        time.sleep(0.2)  # waiting for the worker, not an assertion
    seen = [(r, str(m["Subject"])) for r, m in mailbox.messages]
    pytest.fail(f"No e-mail to {address} about {words!r}; got {seen}")


def test_partner_asks_and_the_manager_answers(
    server: Server, mailbox: Mailbox, new_context
) -> None:  # type: ignore[no-untyped-def]
    maria = new_context().new_page()
    sign_in(maria, server, "maria@acme.example", "tandem-demo")
    maria.goto(server.url("/partnerships/"))
    northwind = (
        maria.locator("#portfolio-results")
        .get_by_role("link", name="Northwind", exact=True)
        .get_attribute("href")
    )
    assert northwind and re.fullmatch(r"/partnerships/\d+/", northwind)

    # --- Pat, on Northwind's side, asks Acme (Relationship › Asks). -----------------
    pat = new_context().new_page()
    sign_in(pat, server, "pat@northwind.example", "tandem-demo")
    pat.goto(server.url(northwind + "asks/"))
    expect(pat.locator("nav.subtabs a[aria-current=page]")).to_have_text("Asks")
    expect(pat.get_by_role("heading", name="Asks and requests", level=1)).to_be_visible()
    form = pat.locator("#new-ask")
    expect(form.get_by_role("heading", name="Ask Acme Analytics")).to_be_visible()
    expect(form.locator("input[name=visibility]")).to_have_count(0)  # what Pat asks is shared
    form.locator("input[name=title]").fill(TITLE)
    form.locator("textarea[name=details]").fill(DETAILS)
    form.locator("select[name=owner]").select_option(label="Maria Manager")
    form.locator("input[name=needed_by]").fill("2030-01-15")
    form.get_by_role("button", name="Send ask").click()
    expect(pat.locator(".messages")).to_contain_text(
        f"Ask sent: {TITLE}. Maria Manager will get an e-mail."
    )
    waiting = pat.locator("#asks-partner li").filter(has_text=TITLE)
    expect(waiting).to_contain_text("Pat Northwind → Maria Manager")
    expect(waiting).to_contain_text("waiting")

    # --- The worker mails Maria over SMTP, with a link to the ask. --------------------------
    mail = mail_about(mailbox, "maria@acme.example", TITLE)
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert DETAILS in text and "Pat Northwind" in text
    found = re.search(re.escape(server.base_url) + r"/partnerships/\d+/asks/\d+/", text)
    assert found, f"No link to the ask in the e-mail:\n{text}"

    # --- Maria sees it among Northwind's asks, opens it from the e-mail and answers. --------
    maria.goto(server.url(northwind + "asks/"))
    expect(maria.locator("#asks-partner li").filter(has_text=TITLE)).to_be_visible()
    maria.goto(found.group(0))
    expect(maria.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(maria.locator("#the-ask")).to_contain_text(DETAILS)
    answer = maria.locator("#answer-form")
    answer.locator("textarea[name=answer]").fill(ANSWER)
    answer.get_by_role("button", name="Send answer").click()
    expect(maria.locator(".messages")).to_contain_text("Your answer was sent.")
    expect(maria.locator("#answer")).to_contain_text(ANSWER)
    assert urlsplit(maria.url).path == urlsplit(found.group(0)).path

    # --- Pat sees the answer and how long it took. -------------------------------------------
    pat.reload()
    closed = pat.locator("#closed-asks li").filter(has_text=TITLE)
    expect(closed).to_contain_text("Answered")
    expect(closed).to_contain_text("answered by Maria Manager in")
    expect(closed.locator(".response-time")).to_have_text(re.compile(r"^\d+ min$"))
    expect(pat.locator("#asks-partner")).not_to_contain_text(TITLE)
    closed.get_by_role("link", name=TITLE).click()
    expect(pat.locator("#answer")).to_contain_text(ANSWER)
    expect(pat.locator("#answer .response-time")).to_have_text(re.compile(r"^\d+ min$"))
    expect(pat.locator("#answer-form")).to_have_count(0)  # his side asked; Acme answers

    # --- And he hears of it by e-mail too. ----------------------------------------------------
    answered = mail_about(mailbox, "pat@northwind.example", TITLE)
    assert "answered" in str(answered["Subject"])
    assert ANSWER in answered.get_body(preferencelist=("plain",)).get_content()
