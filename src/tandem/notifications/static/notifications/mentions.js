// The mention picker: in a note, an issue or a headline, typing "@" and a few letters offers
// the people who may see the item at the visibility chosen in the form right now, and
// inserts "@Full Name". Without JavaScript the field is a plain field (type "@Name" by hand);
// the server resolves mentions by the same rule either way.
//
// A form opts in with data-mentions="<the people's URL>" and data-mention-fields="title body".
// The field keeps its own role (a textbox, multi-line or not) and points at a listbox with
// aria-controls and aria-activedescendant, as ARIA allows a textbox to; a polite status line
// says how many people are offered, so a screen reader hears the offer open and shrink.
(() => {
  if (window.tandemMentions) return; // loaded again by a swapped-in part of the page
  window.tandemMentions = true;

  const MAX_OFFERED = 8;
  const TRIGGER = /(?:^|[^\w@])@([^@\n]{0,40})$/u; // "@" and what follows, up to the caret
  const attr = (node, name) => Element.prototype.getAttribute.call(node, name);
  const find = (node, selector) => Element.prototype.querySelectorAll.call(node, selector);
  const people = new Map(); // "<url>?visibility=<v>" -> Promise<string[]>
  const states = new WeakMap(); // field -> its picker
  let counter = 0;

  // The field, if it is one a form offers mentions in.
  const mentionField = (node) => {
    if (!(node instanceof HTMLTextAreaElement || node instanceof HTMLInputElement)) return null;
    const form = node.form;
    if (!form || !attr(form, "data-mentions")) return null;
    const names = (attr(form, "data-mention-fields") || "").split(/\s+/);
    return names.includes(node.name) ? node : null;
  };

  // The visibility the form has chosen now: a partner-side person's items are always shared.
  const visibilityOf = (form) => {
    const controls = [...find(form, '[name="visibility"]')];
    const chosen = controls.find((control) => control.type !== "radio" || control.checked);
    return chosen ? chosen.value : "shared";
  };

  const load = (form) => {
    const url = `${attr(form, "data-mentions")}?visibility=${encodeURIComponent(visibilityOf(form))}`;
    if (!people.has(url)) {
      const names = fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then((response) => (response.ok ? response.text() : ""))
        .then((html) => {
          const page = new DOMParser().parseFromString(html, "text/html");
          return [...page.querySelectorAll("#mention-people option")]
            .map((option) => option.textContent.trim())
            .filter(Boolean);
        })
        .catch(() => {
          people.delete(url); // try again on the next keystroke
          return [];
        });
      people.set(url, names);
    }
    return people.get(url);
  };

  // Whose name fits what was typed after "@": the full name or one of its words begins so.
  const offered = (names, query) => {
    const typed = query.toLowerCase();
    return names
      .filter((name) => {
        const lower = name.toLowerCase();
        return lower.startsWith(typed) || lower.split(/\s+/).some((word) => word.startsWith(typed));
      })
      .slice(0, MAX_OFFERED);
  };

  const pickerFor = (field) => {
    if (states.has(field)) return states.get(field);
    counter += 1;
    const id = `mention-list-${counter}`;
    const list = document.createElement("ul");
    list.id = id;
    list.className = "mention-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "People to mention");
    list.hidden = true;
    const status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    const hint = document.createElement("span");
    hint.id = `${id}-hint`;
    hint.className = "visually-hidden";
    hint.textContent = "Type @ and a name to mention someone who may see this.";
    field.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);
    status.insertAdjacentElement("afterend", hint);
    field.setAttribute("aria-autocomplete", "list");
    field.setAttribute("aria-controls", id);
    const described = attr(field, "aria-describedby");
    field.setAttribute("aria-describedby", described ? `${described} ${hint.id}` : hint.id);
    // Clicking a name must not take the focus away from the field first.
    list.addEventListener("mousedown", (event) => event.preventDefault());
    list.addEventListener("click", (event) => {
      const option = event.target instanceof Element ? event.target.closest("[role=option]") : null;
      if (option) pick(field, Number(option.dataset.index));
    });
    const state = { list, status, names: [], active: -1, start: -1, dismissed: -1 };
    states.set(field, state);
    return state;
  };

  const close = (field) => {
    const state = states.get(field);
    if (!state || state.list.hidden) return;
    state.list.hidden = true;
    state.list.replaceChildren();
    state.names = [];
    state.active = -1;
    state.status.textContent = "";
    field.removeAttribute("aria-activedescendant");
  };

  const show = (field, state, names) => {
    state.names = names;
    state.active = 0;
    state.list.replaceChildren(
      ...names.map((name, index) => {
        const option = document.createElement("li");
        option.id = `${state.list.id}-${index}`;
        option.setAttribute("role", "option");
        option.dataset.index = String(index);
        option.textContent = name;
        return option;
      }),
    );
    state.list.style.top = `${field.offsetTop + field.offsetHeight + 4}px`;
    state.list.style.left = `${field.offsetLeft}px`;
    state.list.style.width = `${Math.max(Math.min(field.offsetWidth, 320), 200)}px`;
    state.list.hidden = false;
    const count = names.length === 1 ? "1 person" : `${names.length} people`;
    state.status.textContent = `${count} to mention. Up and down arrows to choose, Enter to pick, Escape to close.`;
    highlight(field, state);
  };

  const highlight = (field, state) => {
    find(state.list, "[role=option]").forEach((option, index) => {
      option.setAttribute("aria-selected", index === state.active ? "true" : "false");
    });
    const current = state.list.children[state.active];
    if (current) {
      field.setAttribute("aria-activedescendant", current.id);
      current.scrollIntoView({ block: "nearest" });
    } else {
      field.removeAttribute("aria-activedescendant");
    }
  };

  // What is typed right before the caret, if it is a mention being written.
  const typing = (field) => {
    const caret = field.selectionStart;
    if (caret === null || caret !== field.selectionEnd) return null;
    const match = TRIGGER.exec(field.value.slice(0, caret));
    if (!match) return null;
    return { query: match[1], start: caret - match[1].length - 1, caret };
  };

  const update = async (field) => {
    const now = typing(field);
    const state = pickerFor(field);
    if (!now || now.start === state.dismissed) {
      if (!now) state.dismissed = -1;
      close(field);
      return;
    }
    const names = offered(await load(field.form), now.query);
    const later = typing(field); // the list may have arrived after more keystrokes
    if (!later || later.start !== now.start || later.query !== now.query) return;
    if (!names.length || document.activeElement !== field) {
      close(field);
      return;
    }
    state.start = now.start;
    show(field, state, names);
  };

  const pick = (field, index) => {
    const state = states.get(field);
    const name = state?.names[index];
    const now = typing(field);
    if (!name || !now) return;
    const inserted = `@${name} `;
    field.value = field.value.slice(0, now.start) + inserted + field.value.slice(now.caret);
    const caret = now.start + inserted.length;
    field.setSelectionRange(caret, caret);
    close(field);
    state.status.textContent = `${name} mentioned.`;
  };

  document.addEventListener("input", (event) => {
    const field = mentionField(event.target);
    if (field) update(field);
  });
  document.addEventListener("keydown", (event) => {
    const field = mentionField(event.target);
    const state = field && states.get(field);
    if (!state || state.list.hidden || event.isComposing) return;
    const count = state.names.length;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      state.active = (state.active + (event.key === "ArrowDown" ? 1 : count - 1)) % count;
      highlight(field, state);
    } else if (event.key === "Enter") {
      pick(field, state.active);
    } else if (event.key === "Escape") {
      state.dismissed = state.start;
      close(field);
    } else {
      return;
    }
    event.preventDefault(); // no caret move, no new line, no submit, no dialog closed
  });
  document.addEventListener("focusout", (event) => {
    const field = mentionField(event.target);
    if (field) close(field);
  });
})();
