// Live traffic: the journal polled with its `since` cursor, newest first, filtered in the page. The page
// keeps at most the journal's own 1,000 entries and puts at most PAGE rows more at a time into the DOM.

import { api } from "./api.js";
import { $, codeBlock, h, pretty, shellQuote, statusBadge, time } from "./dom.js";

const KEEP = 1000;
const PAGE = 200;
const POLL_MS = 1000;
// Headers a repeated request does not need: the client sets them itself.
const SKIPPED = new Set(["host", "content-length", "connection", "accept-encoding", "user-agent"]);

export class Traffic {
  constructor(notify) {
    this.notify = notify;
    this.sandboxId = null;
    this.entries = []; // newest first
    this.lastSeq = 0;
    this.shown = PAGE;
    this.selected = null;
    this.timer = null;
    this.generation = 0; // a poll answered for an older sandbox is dropped
    this.filters = { profile: "", method: "", status: "", path: "" };
    this.basePaths = {}; // profile name -> base path, which rows leave out (the profile column says it)
    const form = $("filters");
    let pending = null;
    form.addEventListener("input", (event) => {
      // Typing in the path box waits for a pause; the selects apply at once.
      clearTimeout(pending);
      pending = setTimeout(() => this.readFilters(), event.target.name === "path" ? 150 : 0);
    });
    form.addEventListener("submit", (event) => event.preventDefault());
    form.elements.live.addEventListener("change", () => this.schedule());
    $("more").addEventListener("click", () => {
      this.shown += PAGE;
      this.render();
    });
    $("clear-journal").addEventListener("click", () => this.clear());
    $("exchanges").addEventListener("keydown", (event) => this.arrowKeys(event));
  }

  show(sandboxId) {
    this.generation += 1;
    this.sandboxId = sandboxId;
    this.entries = [];
    this.lastSeq = 0;
    this.shown = PAGE;
    this.selected = null;
    this.renderDetail();
    this.render();
    this.poll();
  }

  stop() {
    this.generation += 1;
    this.sandboxId = null;
    clearTimeout(this.timer);
  }

  schedule() {
    clearTimeout(this.timer);
    if (this.sandboxId && $("filters").elements.live.checked) this.timer = setTimeout(() => this.poll(), POLL_MS);
  }

  async poll() {
    clearTimeout(this.timer);
    const generation = this.generation;
    try {
      const { entries } = await api.journal(this.sandboxId, { since: this.lastSeq, limit: KEEP });
      if (generation !== this.generation) return;
      if (entries.length) this.add(entries);
    } catch (error) {
      if (generation !== this.generation) return;
      if (error.status === 404) return this.notify(`Sandbox ${this.sandboxId} is gone.`, true);
      this.notify(`Journal: ${error.message}`, true);
    }
    if (generation === this.generation) this.schedule();
  }

  // New entries (oldest first, as the API gives them) go on top; the list grows without a re-render.
  add(entries) {
    this.lastSeq = entries[entries.length - 1].seq;
    const newest = entries.slice().reverse();
    this.entries = newest.concat(this.entries).slice(0, KEEP);
    const list = $("exchanges");
    const matching = newest.filter((entry) => this.matches(entry));
    if (!matching.length) return this.count();
    const fragment = document.createDocumentFragment();
    for (const entry of matching.slice(0, this.shown)) fragment.append(this.row(entry));
    list.prepend(fragment);
    while (list.children.length > this.shown) list.lastElementChild.remove();
    this.count();
  }

  async clear() {
    await api.clearJournal(this.sandboxId);
    this.entries = [];
    this.render();
    this.notify("Journal cleared.");
  }

  readFilters() {
    const form = $("filters").elements;
    this.filters = {
      profile: form.profile.value,
      method: form.method.value,
      status: form.status.value,
      path: form.path.value.trim().toLowerCase(),
    };
    this.shown = PAGE;
    this.render();
  }

  matches(entry) {
    const { profile, method, status, path } = this.filters;
    return (
      (!profile || entry.profile === profile) &&
      (!method || entry.method === method) &&
      (!status || String(entry.status)[0] === status) &&
      (!path || `${entry.path}?${entry.query}`.toLowerCase().includes(path))
    );
  }

  filtered() {
    return this.entries.filter((entry) => this.matches(entry));
  }

  render() {
    const matching = this.filtered();
    const fragment = document.createDocumentFragment();
    for (const entry of matching.slice(0, this.shown)) fragment.append(this.row(entry));
    $("exchanges").replaceChildren(fragment);
    this.count(matching.length);
  }

  count(matching = this.filtered().length) {
    const rows = $("exchanges").children.length;
    $("more").hidden = rows >= matching;
    $("more").textContent = `Show ${Math.min(PAGE, matching - rows)} more`;
    const total = this.entries.length;
    $("traffic-count").textContent = total
      ? `${matching} of ${total} exchanges${matching > rows ? `, ${rows} shown` : ""}.`
      : "No traffic yet: requests made with this sandbox's credentials appear here as they happen.";
  }

  row(entry) {
    const target = entry.query ? `${entry.path}?${entry.query}` : entry.path;
    const base = this.basePaths[entry.profile];
    const shortTarget = base && target.startsWith(base) ? target.slice(base.length) || "/" : target;
    const button = h(
      "button",
      {
        type: "button",
        class: "exchange-row",
        "data-seq": entry.seq,
        "aria-pressed": String(this.selected === entry.seq),
        onclick: () => this.open(entry.seq),
      },
      h("span", { class: "seq" }, `#${entry.seq}`),
      h("span", { class: "when" }, time(entry.at).slice(11, 19)),
      h("span", { class: "profile" }, entry.profile),
      h("span", { class: `method method-${entry.method.toLowerCase()}` }, entry.method),
      statusBadge(entry.status),
      h("span", { class: "path", title: target }, shortTarget),
      // The fault's name in full is in the tooltip and the detail; the row keeps room for the path.
      h("span", { class: entry.fault ? "fault-tag" : "", title: entry.fault ? `fault: ${entry.fault}` : null }, entry.fault ? "fault" : ""),
      h("span", { class: "duration" }, `${Math.round(entry.durationMs)} ms`),
    );
    return h("li", { class: entry.status >= 400 ? "error" : "" }, button);
  }

  arrowKeys(event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const item = event.target.closest("li");
    const next = event.key === "ArrowDown" ? item?.nextElementSibling : item?.previousElementSibling;
    if (next) {
      event.preventDefault();
      next.querySelector("button").focus();
    }
  }

  open(seq) {
    this.selected = seq;
    for (const button of $("exchanges").querySelectorAll("button[aria-pressed=true]")) {
      button.setAttribute("aria-pressed", "false");
    }
    $("exchanges").querySelector(`button[data-seq="${seq}"]`)?.setAttribute("aria-pressed", "true");
    this.renderDetail();
    // On a narrow screen the detail sits below the list: bring it into view.
    if (matchMedia("(max-width: 1100px)").matches) $("exchange").scrollIntoView({ block: "nearest" });
  }

  renderDetail() {
    const panel = $("exchange");
    const entry = this.entries.find((candidate) => candidate.seq === this.selected);
    if (!entry) {
      panel.replaceChildren(h("p", { class: "muted" }, "Select an exchange to see its request and response."));
      return;
    }
    const target = entry.query ? `${entry.path}?${entry.query}` : entry.path;
    const headers = Object.entries(entry.requestHeaders).map(([name, value]) => `${name}: ${value}`);
    panel.replaceChildren(
      h("h3", {}, `#${entry.seq} ${entry.method} ${target}`),
      h(
        "p",
        { class: "detail-meta" },
        statusBadge(entry.status),
        ` ${entry.profile} · ${time(entry.at)} · ${entry.durationMs.toFixed(1)} ms`,
      ),
      entry.fault
        ? h("p", { class: "fault-applied" }, h("strong", {}, "Fault applied: "), entry.fault)
        : h("p", { class: "muted" }, "No fault applied."),
      h("h4", {}, "Repeat it"),
      codeBlock(curlLine(entry), "curl line"),
      h("h4", {}, "Request headers"),
      h("pre", { class: "headers" }, headers.join("\n") || "(none)"),
      h("h4", {}, "Request body"),
      h("pre", { class: "body" }, pretty(entry.requestBody) || "(empty)"),
      // The journal does not record response headers yet; the page shows them once an entry has them.
      entry.responseHeaders ? h("h4", {}, "Response headers") : null,
      entry.responseHeaders
        ? h("pre", { class: "headers" }, Object.entries(entry.responseHeaders).map(([n, v]) => `${n}: ${v}`).join("\n"))
        : null,
      h("h4", {}, `Response body (${entry.status})`),
      h("pre", { class: "body response-body" }, pretty(entry.responseBody) || "(empty)"),
    );
  }
}

// A curl line that repeats the request: masked credentials become a shell variable to fill in.
export function curlLine(entry) {
  const target = `${location.origin}${entry.path}${entry.query ? `?${entry.query}` : ""}`;
  const parts = ["curl", "-X", entry.method, shellQuote(target)];
  for (const [name, value] of Object.entries(entry.requestHeaders)) {
    if (SKIPPED.has(name.toLowerCase())) continue;
    if (value === "***") {
      parts.push("-H", name.toLowerCase() === "authorization" ? '"Authorization: Bearer $TOKEN"' : `"${name}: $${name.toUpperCase().replace(/\W/g, "_")}"`);
    } else {
      parts.push("-H", shellQuote(`${name}: ${value}`));
    }
  }
  if (entry.requestBody) parts.push("--data-raw", shellQuote(entry.requestBody));
  return parts.join(" ");
}
