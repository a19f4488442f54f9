// Small behaviours that do not need a framework. htmx (served by django-htmx) does the rest.

// The element's own closest(), whatever the element: a form exposes its fields as properties,
// so a field named "closest" would hide the method (and events also come from text nodes).
const closestTo = (node, selector) =>
  node instanceof Element ? Element.prototype.closest.call(node, selector) : null;

document.addEventListener("click", (event) => {
  const copy = closestTo(event.target, "[data-copy]");
  if (copy) {
    const text = document.getElementById(copy.dataset.copy)?.textContent?.trim() || "";
    navigator.clipboard?.writeText(text).then(() => { copy.textContent = "Copied"; });
  }
  const confirmable = closestTo(event.target, "[data-confirm]");
  if (confirmable && !window.confirm(confirmable.dataset.confirm)) {
    event.preventDefault();
  }
});
document.addEventListener("change", (event) => {
  const select = closestTo(event.target, "select[data-autosubmit]");
  if (select) HTMLFormElement.prototype.requestSubmit.call(select.form);
});

// An htmx action aimed at an element this page does not have (a part opened on its own page,
// in a new tab) would do nothing at all: do what the form or link does without htmx instead,
// and the server answers with a page.
document.addEventListener("htmx:targetError", (event) => {
  const source = event.detail.elt;
  const form = closestTo(source, "form");
  if (form && form.getAttribute("method")?.toLowerCase() === "post") {
    HTMLFormElement.prototype.submit.call(form);
  } else if (closestTo(source, "a[href]")) {
    window.location.assign(closestTo(source, "a[href]").href);
  }
});

// Ranked lists ([data-rank-list]): drag a row to its new place, or focus its handle and press
// ↑ or ↓. The row's data-rank is its place in the list as this reader sees it (internal items
// they cannot see are not counted), so a move asks for the place of the row it lands on; the
// server answers with the list as saved, and focus returns to the handle that moved.
(() => {
  const rows = (list) => [...list.querySelectorAll("[data-rank]")];
  function move(row, position) {
    const id = row.dataset.issue;
    const list = row.closest("[data-rank-list]");
    htmx.ajax("POST", row.dataset.rankUrl, {
      source: row, target: `#${list.id}`, swap: "outerHTML",
      values: { position, page: list.dataset.page || "1" },
    }).then(() => {
      document.querySelector(`[data-issue="${id}"] [data-rank-handle]`)?.focus();
    });
  }
  document.addEventListener("keydown", (event) => {
    const handle = closestTo(event.target, "[data-rank-handle]");
    if (!handle || !["ArrowUp", "ArrowDown"].includes(event.key)) return;
    event.preventDefault();
    const row = handle.closest("[data-rank]");
    const all = rows(row.closest("[data-rank-list]"));
    const target = all[all.indexOf(row) + (event.key === "ArrowUp" ? -1 : 1)];
    if (target) move(row, target.dataset.rank);
  });
  let dragged = null;
  let ranks = [];
  document.addEventListener("dragstart", (event) => {
    const row = closestTo(event.target, "[data-rank-list] [data-rank]");
    if (!row) return;
    dragged = row;
    ranks = rows(row.closest("[data-rank-list]")).map((r) => r.dataset.rank);
    row.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", row.dataset.issue);
  });
  document.addEventListener("dragover", (event) => {
    if (!dragged) return;
    const over = closestTo(event.target, "[data-rank]");
    if (!over || over === dragged || over.parentNode !== dragged.parentNode) return;
    event.preventDefault();
    const box = over.getBoundingClientRect();
    const after = event.clientY > box.top + box.height / 2;
    over.parentNode.insertBefore(dragged, after ? over.nextSibling : over);
  });
  document.addEventListener("drop", (event) => { if (dragged) event.preventDefault(); });
  document.addEventListener("dragend", () => {
    if (!dragged) return;
    const row = dragged;
    dragged = null;
    row.classList.remove("dragging");
    const index = rows(row.closest("[data-rank-list]")).indexOf(row);
    if (ranks[index] !== row.dataset.rank) move(row, ranks[index]);
  });
})();

// The browser's time zone, so pages can also show meeting times on the viewer's own clock
// (tandem.meetings.schedule.selectors.viewer_zone reads it, and ignores names it does not know).
(() => {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone && /^[A-Za-z0-9_+\-/]{1,64}$/.test(zone) && !document.cookie.includes(`tz=${zone}`)) {
    document.cookie = `tz=${zone}; path=/; max-age=31536000; samesite=lax`;
  }
})();
