"""axe-core finds no serious or critical violation on the demo's forms sent empty, and
every error there is tied to its field.

Sending forms empty may save what has only optional fields (an attendance list, a sharing
setting), so this module has a server of its own (``axe_pages``), on its own copy of the
demo, with one browser context per role.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page

from tests.e2e.axe import Violation, audit, report
from tests.e2e.pages import ROLES

#: the POST forms of the page with a field to fill in, as (index among the page's forms,
#: where it posts). Left out, because sending them is the action itself, with nothing
#: to validate and so no error state: forms of buttons only (sign out, language,
#: release all grades, renew the feed address, reorder, end an enrolment, publish,
#: delete, mark as read) and the confirmations of irreversible actions (lms/confirm.py).
_FORMS = """() => [...document.forms].map((form, index) => ({
    index,
    method: (form.getAttribute("method") || "get").toLowerCase(),
    action: new URL(form.getAttribute("action") || location.href, location.href).pathname,
    confirmation: form.classList.contains("confirmation"),
    fields: [...form.elements].filter((e) => !["hidden", "submit", "button", "reset"]
      .includes(e.type) && !["FIELDSET", "BUTTON", "OUTPUT"].includes(e.tagName)).length,
  })).filter((f) => f.method === "post" && f.fields && !f.confirmation)
    .map((f) => [f.index, f.action])"""
#: every field emptied (nothing chosen, nothing ticked, no file) and the browser's own
#: checks off, so that the server answers
_EMPTY = """(form) => {
  form.noValidate = true;
  for (const e of form.elements) {
    if (["hidden", "submit", "button", "reset"].includes(e.type)) continue;
    if (e.type === "checkbox" || e.type === "radio") e.checked = false;
    else if (e.tagName === "SELECT") e.selectedIndex = -1;
    else if (e.tagName !== "FIELDSET" && e.tagName !== "BUTTON") e.value = "";
  }
}"""
#: errors not tied to their field: a control of a field in error that is not marked
#: invalid or does not name the error as its description, an error message in a form
#: that no control names
_UNTIED_ERRORS = """() => {
  const problems = [];
  const controls = "input:not([type=hidden]), select, textarea";
  for (const field of document.querySelectorAll("main .field--error")) {
    const error = field.querySelector(".error");
    for (const e of field.querySelectorAll(controls)) {
      const ids = (e.getAttribute("aria-describedby") || "").split(/\\s+/);
      if (e.getAttribute("aria-invalid") !== "true" || !error || !ids.includes(error.id))
        problems.push(`${e.name || e.id} is not marked invalid with its error as description`);
    }
  }
  for (const error of document.querySelectorAll("main form .error")) {
    if (!error.id || !document.querySelector(`[aria-describedby~="${error.id}"]`))
      problems.push(`"${error.textContent.trim()}" is tied to no field`);
  }
  return [...new Set(problems)];
}"""
_SUBMIT = "button[type=submit], button:not([type]), input[type=submit]"



def test_every_form_sent_empty_shows_its_errors_accessibly(
        axe_pages: tuple[str, dict[str | None, Page]],
        pages_by_role: dict[str | None, list[str]]) -> None:
    """Each kind of form once (by where it posts, ids left out), for the first role
    that reaches it."""
    base_url, pages = axe_pages
    found: list[Violation] = []
    untied: list[str] = []
    tried: set[str] = set()
    with_errors = 0
    for email in ROLES:
        page = pages[email]
        for path in pages_by_role[email]:
            page.goto(base_url + path)
            fresh = True
            for index, action in page.evaluate(_FORMS):
                kind = re.sub(r"\d+", "N", action)
                if kind in tried:
                    continue
                tried.add(kind)
                if not fresh:  # the page as it was, not the answer to the form before
                    page.goto(base_url + path)
                fresh = False
                name = f"{email or 'visitor'} {path}, form to {action} sent empty"
                form = page.locator("form").nth(index)
                form.evaluate(_EMPTY)
                with page.expect_navigation() as navigation:
                    submit = form.locator(_SUBMIT)
                    if submit.count():
                        submit.first.click()
                    else:
                        form.evaluate("(form) => form.requestSubmit()")
                response = navigation.value
                assert response is None or response.status < 500, f"{name}: {response.status}"
                found += audit(page, name)
                untied += [f"{name}: {problem}" for problem in page.evaluate(_UNTIED_ERRORS)]
                with_errors += page.locator("[aria-invalid=true]").count() > 0
    failing = report(found)
    assert not failing, failing
    assert not untied, "\n".join(untied)
    print(f"{len(tried)} kinds of form sent empty, {with_errors} answered with field errors")
    assert with_errors > 20
