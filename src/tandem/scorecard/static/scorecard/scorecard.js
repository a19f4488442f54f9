// Scorecard grid: inline entry with htmx. Served by the app (no inline script: the CSP allows
// 'self' only).
(() => {
  let lastCell = null;

  document.addEventListener("htmx:beforeRequest", (event) => {
    const cell = event.detail.elt.closest("td.sc-cell");
    if (cell) lastCell = cell.id;
  });

  // After a save, the row is new: put the focus back on the cell that was edited.
  document.addEventListener("htmx:afterSettle", (event) => {
    if (!lastCell || event.detail.target.tagName !== "TR") return;
    document.querySelector(`#${CSS.escape(lastCell)} a.sc-value`)?.focus();
  });

  // The latest periods matter most: show them when the grid is wider than the screen.
  const scrollToLatest = () => {
    for (const wrap of document.querySelectorAll(".sc-wrap")) wrap.scrollLeft = wrap.scrollWidth;
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", scrollToLatest);
  } else {
    scrollToLatest();
  }

  // A cell is a link to its editor (a page of its own without JavaScript); with htmx the
  // editor opens in the cell. Click or Enter on the focused link.
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("table.scorecard a.sc-value");
    if (!link || !window.htmx || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    const cell = link.closest("td");
    lastCell = cell.id;
    window.htmx.ajax("GET", link.getAttribute("href"), { target: cell, swap: "innerHTML" });
  });

  // The editor gets focus as soon as it lands; Enter pressed before htmx has taken the new
  // form in would post it as a plain page. Catch that submit and hand it to htmx.
  document.addEventListener("submit", (event) => {
    // The editor on its own page (a new tab) has no row to swap into: it posts as a page.
    const form = event.target.closest && event.target.closest("form.sc-edit[hx-post]");
    if (!form || !window.htmx || event.defaultPrevented) return;
    event.preventDefault();
    window.htmx.process(form);
    window.htmx.trigger(form, "submit");
  });

  // Escape leaves the editor without saving.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const form = event.target.closest && event.target.closest("form.sc-edit[hx-post]");
    if (!form || !window.htmx) return;
    event.preventDefault();
    window.htmx.ajax("GET", form.dataset.cancel, {
      target: form.getAttribute("hx-target"),
      swap: "outerHTML",
    });
  });
})();
