// The dashboard: the sandbox list, the selected sandbox (in the URL's fragment, so a reload keeps it),
// its tabs and every action's form. Each action is one documented control-plane call (api.js).

import { api, askForToken, token } from "./api.js";
import { $, download, h, time } from "./dom.js";
import { readFault, readQuotas, renderClock, renderControls, renderCredentials, renderEvents } from "./panels.js";
import { Traffic } from "./traffic.js";

const LIST_POLL_MS = 3000;
const state = { profiles: [], sandboxes: [], current: null, tab: "traffic" };
let noticeTimer = null;

function notify(message, isError = false) {
  const notice = $("notice");
  notice.replaceChildren(h("span", {}, isError ? "Error: " : "", message));
  notice.className = `notice ${isError ? "notice-error" : "notice-ok"}`;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => notice.replaceChildren(), isError ? 10000 : 4000);
}

// Runs an action, reports its failure in the page instead of the console.
async function attempt(action, success) {
  try {
    const result = await action();
    if (success) notify(success);
    return result;
  } catch (error) {
    notify(error.message, true);
    return undefined;
  }
}

const traffic = new Traffic(notify);

async function loadSandboxes() {
  const { sandboxes } = await api.sandboxes();
  // A sandbox's activity is its journal's latest entry: its seq counts the requests it served.
  const latest = await Promise.all(
    sandboxes.map((sandbox) => api.journal(sandbox.id, { limit: 1 }).then((j) => j.entries[0], () => null)),
  );
  state.sandboxes = sandboxes.map((sandbox, index) => ({ ...sandbox, latest: latest[index] }));
  renderSandboxList();
  // Someone else (a script, another tab) deleted or recreated the open sandbox: follow it.
  const open = state.sandboxes.find((sandbox) => sandbox.id === state.current);
  if (state.current && !open) {
    notify(`Sandbox ${state.current} is gone.`, true);
    location.hash = "";
  } else if (open && state.sandbox && open.createdAt !== state.sandbox.createdAt) {
    await reload();
  }
}

function renderSandboxList() {
  const items = state.sandboxes.map((sandbox) => {
    const activity = sandbox.latest
      ? `${sandbox.latest.seq} requests, last ${time(sandbox.latest.at).slice(11)}`
      : "no requests";
    const current = sandbox.id === state.current;
    return h(
      "li",
      {},
      h(
        "a",
        {
          href: `#/sandboxes/${encodeURIComponent(sandbox.id)}`,
          class: current ? "sandbox-link current" : "sandbox-link",
          "aria-current": current ? "page" : null,
          "data-id": sandbox.id,
        },
        h("strong", {}, sandbox.id),
        h("span", { class: "muted" }, `seed ${sandbox.seed} · size ${sandbox.size}`),
        h("span", { class: "muted" }, `created ${time(sandbox.createdAt)}`),
        h("span", { class: "activity" }, activity),
      ),
    );
  });
  $("sandbox-list").replaceChildren(...items);
}

async function select(id) {
  if (!id) {
    state.current = null;
    traffic.stop();
    $("sandbox").hidden = true;
    $("empty").hidden = false;
    renderSandboxList();
    return;
  }
  let sandbox;
  try {
    sandbox = await api.sandbox(id);
  } catch (error) {
    notify(error.status === 404 ? `No sandbox called ${id}.` : error.message, true);
    location.hash = "";
    return;
  }
  const changed = state.current !== id;
  state.current = id;
  state.sandbox = sandbox;
  $("empty").hidden = true;
  $("sandbox").hidden = false;
  $("sandbox-title").textContent = `Sandbox ${sandbox.id}`;
  $("sandbox-meta").textContent = `seed ${sandbox.seed} · size ${sandbox.size} · created ${time(sandbox.createdAt)}`;
  renderCredentials(sandbox, state.profiles);
  renderSandboxList();
  if (changed) traffic.show(id);
  await refreshTab();
}

async function refreshTab() {
  if (!state.current) return;
  const names = state.profiles.map((profile) => profile.name);
  if (state.tab === "events") await attempt(() => renderEvents(state.current));
  if (state.tab === "controls") await attempt(() => renderControls(state.current, names));
}

function selectTab(name, focus = false) {
  state.tab = name;
  for (const tab of $("tabs").querySelectorAll("[role=tab]")) {
    const selected = tab.id === `tab-${name}`;
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
    $(tab.getAttribute("aria-controls")).hidden = !selected;
    if (selected && focus) tab.focus();
  }
  refreshTab();
}

function wireTabs() {
  const tabs = [...$("tabs").querySelectorAll("[role=tab]")];
  const name = (tab) => tab.id.replace("tab-", "");
  for (const tab of tabs) tab.addEventListener("click", () => selectTab(name(tab)));
  // Arrow keys move between tabs, as in every tab list.
  $("tabs").addEventListener("keydown", (event) => {
    const index = tabs.indexOf(document.activeElement);
    if (index < 0) return;
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (step) selectTab(name(tabs[(index + step + tabs.length) % tabs.length]), true);
    if (event.key === "Home") selectTab(name(tabs[0]), true);
    if (event.key === "End") selectTab(name(tabs[tabs.length - 1]), true);
  });
}

function wireSandboxActions() {
  $("create-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const fields = event.target.elements;
    const body = {};
    if (fields.id.value) body.id = fields.id.value.trim();
    if (fields.seed.value) body.seed = Number(fields.seed.value);
    if (fields.size.value) body.size = Number(fields.size.value);
    const sandbox = await attempt(() => api.create(body), "Sandbox created.");
    if (!sandbox) return;
    event.target.reset();
    await loadSandboxes();
    location.hash = `#/sandboxes/${encodeURIComponent(sandbox.id)}`;
  });
  $("reset-button").addEventListener("click", async () => {
    if (!confirm(`Reset sandbox ${state.current}? Its world is built again from its seed.`)) return;
    if (await attempt(() => api.reset(state.current), `Sandbox ${state.current} reset.`)) await reload();
  });
  $("delete-button").addEventListener("click", async () => {
    const id = state.current;
    if (!confirm(`Delete sandbox ${id}?`)) return;
    if ((await attempt(() => api.remove(id), `Sandbox ${id} deleted.`)) === undefined) return;
    location.hash = "";
    await select(null);
    await loadSandboxes();
  });
  $("export-button").addEventListener("click", async () => {
    const document_ = await attempt(() => api.exportState(state.current));
    if (document_) {
      download(`fleetbox-${state.current}.json`, JSON.stringify(document_, null, 2));
      notify(`State of ${state.current} exported.`);
    }
  });
  $("import-file").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    event.target.value = "";
    if (!file) return;
    let document_;
    try {
      document_ = JSON.parse(await file.text());
    } catch {
      return notify(`${file.name} is not JSON.`, true);
    }
    if (await attempt(() => api.importState(state.current, document_), `${file.name} imported into ${state.current}.`)) {
      await reload();
    }
  });
}

function wireControls() {
  const names = () => state.profiles.map((profile) => profile.name);
  const after = async (action, message) => {
    const done = (await attempt(action, message)) !== undefined;
    if (done) await refreshTab();
    return done;
  };
  $("advance-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const seconds = Number(event.target.elements.amount.value) * Number(event.target.elements.unit.value);
    after(() => api.advance(state.current, seconds), `Clock advanced by ${seconds} s.`);
  });
  $("set-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const fields = event.target.elements;
    const now = new Date(`${fields.now.value}Z`).toISOString();
    after(() => api.setClock(state.current, { now, frozen: fields.frozen.checked }), "Clock set.");
  });
  $("freeze-button").addEventListener("click", async (event) => {
    const frozen = event.target.dataset.frozen === "true";
    const clock = await api.clock(state.current);
    after(() => api.setClock(state.current, { now: clock.now, frozen: !frozen }), frozen ? "Clock runs." : "Clock frozen.");
  });
  $("quotas-form").addEventListener("submit", (event) => {
    event.preventDefault();
    after(() => api.setLimits(state.current, readQuotas(event.target, names())), "Quotas saved.");
  });
  $("fault-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const body = readFault(event.target);
    if (body.status === undefined && body.latencyMs === undefined && !body.drop) {
      return notify("A fault needs a status, a latency or a drop.", true);
    }
    const form = event.target;
    after(() => api.addFault(state.current, body), "Fault added.").then((done) => done && form.reset());
  });
  $("webhook-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target;
    const fields = form.elements;
    const body = { audience: fields.audience.value.trim(), url: fields.url.value.trim() };
    const types = fields.events.value.split(",").map((type) => type.trim()).filter(Boolean);
    if (types.length) body.events = types;
    if (fields.name.value.trim()) body.name = fields.name.value.trim();
    after(() => api.addWebhook(state.current, body), "Subscription added.").then((done) => done && form.reset());
  });
  $("event-filters").addEventListener("submit", (event) => {
    event.preventDefault();
    refreshTab();
  });
}

async function reload() {
  const id = state.current;
  state.current = null; // forces the traffic to start over: reset and import may renumber nothing, but cost little
  await loadSandboxes();
  await select(id);
}

function route() {
  const match = location.hash.match(/^#\/sandboxes\/([^/]+)/);
  return select(match ? decodeURIComponent(match[1]) : null);
}

async function start() {
  $("token-button").hidden = !token();
  $("token-button").addEventListener("click", () => askForToken().then((ok) => ok && loadSandboxes()));
  wireTabs();
  wireSandboxActions();
  wireControls();
  try {
    const health = await api.health();
    state.profiles = health.profiles;
    traffic.basePaths = Object.fromEntries(health.profiles.map((profile) => [profile.name, profile.basePath]));
    $("server-info").textContent = `fleetbox ${health.version} · ${health.profiles.map((p) => p.name).join(", ")}`;
    for (const select_ of [$("filters").elements.profile, $("fault-form").elements.profile]) {
      select_.append(...health.profiles.map((profile) => h("option", { value: profile.name }, profile.name)));
    }
    await loadSandboxes();
  } catch (error) {
    $("server-info").textContent = `The control plane did not answer: ${error.message}`;
    return;
  }
  window.addEventListener("hashchange", route);
  await route();
  // The list's activity and the clock stay current without a reload.
  setInterval(async () => {
    if (document.hidden) return;
    await loadSandboxes().catch(() => null);
    if (state.current && state.tab === "controls") api.clock(state.current).then(renderClock, () => null);
  }, LIST_POLL_MS);
  document.body.dataset.ready = "true";
}

start();
