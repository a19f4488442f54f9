// The live meeting (meetings/meeting_live.html).
//
// The page keeps a stream open (Server-Sent Events, meeting_stream) on which the server
// tells the partnership's data version whenever it moves. When it is newer than the version
// the page shows, the page asks for its live region (meeting_live: 204, nothing new; 200, the
// region rendered for this person). Without a stream (no EventSource, a server that
// declines streams, or one failing again and again) it asks every second, as before
// streams. The region is only
// replaced when this person is not in the middle of typing: their unsent work stays, and
// the newer region waits until they send it or clear it. The section timer ticks here
// between answers, from the seconds the server counted.
(() => {
  const POLL_MS = 1000; // without a stream: ask every second
  // Each stream opens with the version as it is and ends after two minutes or so (core.live):
  // while streams come and go, that is the check that no notice was lost. Nothing heard for
  // longer than a stream lasts: the stream died unnoticed; open another and ask at once.
  const SAFETY_MS = 150000;
  const GRACE_MS = 5000; // a stream reopening (each ends after a while) is not a failure yet
  const MAX_FAILURES = 5; // errors in a row without a word from the server: poll instead
  const region = document.getElementById("meeting-live");
  if (!region) return;
  let announced = 0; // the newest data version the stream told of
  let lastHeard = performance.now();
  let streamDownSince = performance.now(); // null while the stream is open; -Infinity: none
  let source = null; // the EventSource
  const note = document.querySelector("[data-live-note]");
  let pending = null; // newer region HTML held back while someone types
  let pendingAt = 0; // when it arrived: its timer counted up to then
  let inFlight = false;
  // This person's own requests: how many began, and when the latest began. Its answer
  // swaps the region (htmx:afterSwap on the region); a refusal without a swap, or a lost
  // answer, stops holding the polls back after a few seconds.
  const ACTION_PATIENCE_MS = 5000;
  let actions = 0;
  let actionSince = null;
  const acting = () =>
    actionSince !== null && performance.now() - actionSince < ACTION_PATIENCE_MS;
  let timerStart = performance.now();

  const state = () => region.querySelector(".meeting-state");
  const version = () => state()?.dataset.version ?? "";

  // Unsent work: a field whose value differs from what the server rendered, or a text
  // field with the caret in it.
  function busy() {
    const active = document.activeElement;
    if (active && region.contains(active) && active.matches("input[type=text], textarea")) {
      return true;
    }
    for (const field of region.querySelectorAll("input[type=text], input[type=date], textarea")) {
      if (field.value !== field.defaultValue) return true;
    }
    for (const select of region.querySelectorAll("select")) {
      if (select.closest("[hx-trigger='change']")) continue;
      // With no option marked selected, the first one is the default.
      const marked = [...select.options].findIndex((option) => option.defaultSelected);
      if (select.selectedIndex !== Math.max(marked, 0)) return true;
    }
    for (const details of region.querySelectorAll("details")) {
      if (details.open !== details.hasAttribute("open")) return true;
    }
    return false;
  }

  function swap(html, receivedAt = performance.now()) {
    region.innerHTML = html;
    htmx.process(region);
    afterSwap(receivedAt);
  }

  function afterSwap(receivedAt = performance.now()) {
    actionSince = null;
    pending = null;
    if (note) note.hidden = true;
    timerStart = receivedAt;
    tick();
    scrollScorecards();
    const current = state();
    if (current && current.dataset.ended === "1") {
      window.location.assign(current.dataset.recapUrl);
    }
  }

  // The scorecard opens on its latest weeks, as on the scorecard page.
  function scrollScorecards() {
    for (const wrap of region.querySelectorAll(".sc-wrap")) wrap.scrollLeft = wrap.scrollWidth;
  }

  function tell(text, link) {
    if (!note) return;
    note.textContent = text;
    if (link) {
      const anchor = document.createElement("a");
      anchor.href = link;
      anchor.textContent = " Open the recap.";
      note.append(anchor);
    }
    note.hidden = false;
  }

  // Whether to ask the server now: the stream told of a newer version, it has been quiet
  // for long, or there is no stream.
  function due(now) {
    if (streamDownSince !== null && now - streamDownSince >= GRACE_MS) return true;
    if (announced > Number(version() || 0)) return true;
    return now - lastHeard >= SAFETY_MS;
  }

  async function poll() {
    if (inFlight) return;
    if (pending !== null) {
      if (!busy()) swap(pending, pendingAt);
      else return;
    }
    if (acting()) return; // their own answer brings the region
    const now = performance.now();
    if (source && streamDownSince === null && now - lastHeard >= SAFETY_MS) {
      source.close(); // silent for longer than a stream lasts: dead without an error
      listen();
    }
    if (!due(now)) return;
    lastHeard = now;
    inFlight = true;
    const seenActions = actions;
    try {
      const url = `${region.dataset.liveUrl}?v=${encodeURIComponent(version())}`;
      const response = await fetch(url, {
        headers: { "HX-Request": "true" },
        credentials: "same-origin",
        cache: "no-store",
        redirect: "manual", // signed out: the page itself goes to the sign-in
      });
      if (response.type === "opaqueredirect" || [401, 403, 404].includes(response.status)) {
        window.location.reload();
        return;
      }
      if (response.status === 200) {
        const html = await response.text();
        if (!html.includes("meeting-state")) {
          window.location.reload();
          return;
        }
        // An action of theirs began meanwhile: its answer is newer than this one.
        if (actions !== seenActions || acting()) return;
        if (busy()) {
          pending = html;
          pendingAt = performance.now();
          if (html.includes('data-ended="1"')) {
            tell(
              "The meeting has ended. Copy anything you were writing that you still need.",
              state()?.dataset.recapUrl,
            );
          } else {
            tell("Others have made changes. They will show when you send or clear what you are typing.");
          }
        } else {
          swap(html);
        }
      }
    } catch (error) {
      // Offline for a moment: the next poll tries again.
    } finally {
      inFlight = false;
    }
  }

  function pad(n) {
    return String(n).padStart(2, "0");
  }

  function clock(seconds) {
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = seconds % 60;
    return h ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
  }

  function tick() {
    const timer = region.querySelector("[data-timer]");
    if (!timer) return;
    let seconds = Number(timer.dataset.spent || 0);
    if (timer.dataset.running === "1") {
      seconds += Math.floor((performance.now() - timerStart) / 1000);
    }
    const box = Number(timer.dataset.timebox || 0) * 60;
    timer.querySelector("[data-clock]").textContent = clock(seconds);
    const over = box > 0 && seconds > box;
    timer.classList.toggle("over", over);
    timer.querySelector("[data-over]").textContent = over ? `+${clock(seconds - box)} over` : "";
  }

  // A swap from this person's own action: the region comes back with the new version.
  // An action's answer: the whole region, or only a refusal (#meeting-error), which leaves
  // everything else, typed words included, as it was.
  region.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target === region) afterSwap();
    else actionSince = null;
  });
  region.addEventListener("htmx:beforeRequest", () => {
    actions += 1;
    actionSince = performance.now();
  });
  function listen() {
    const url = region.dataset.streamUrl;
    if (!url || typeof EventSource === "undefined") {
      streamDownSince = -Infinity;
      return;
    }
    source = new EventSource(url);
    const current = source;
    let failures = 0;
    // Each stream opens with the version as it is, then tells each newer one.
    source.addEventListener("version", (event) => {
      if (current !== source) return; // replaced meanwhile
      failures = 0;
      streamDownSince = null;
      lastHeard = performance.now();
      announced = Math.max(announced, Number(event.data) || 0);
      if (announced > Number(version() || 0)) poll();
    });
    // The browser opens the stream again by itself (after the server's retry: hint). A
    // stream it may not reopen (signed out, no longer theirs, declined) or one failing
    // again and again: back to asking every second, which also finds a signed-out person.
    source.addEventListener("error", () => {
      if (current !== source) return; // replaced meanwhile
      if (streamDownSince === null) streamDownSince = performance.now();
      failures += 1;
      if (current.readyState === EventSource.CLOSED || failures >= MAX_FAILURES) {
        current.close();
        source = null;
        streamDownSince = -Infinity;
      }
    });
  }

  scrollScorecards();
  listen();
  setInterval(poll, POLL_MS);
  setInterval(tick, 250);
  tick();
})();
