// The control-plane client: every call the page makes is one of openapi/sandbox.yaml's operations.
// A 401 asks for the control token once, keeps it for this tab (sessionStorage) and repeats the call.

const BASE = "__sandbox";
const TOKEN_KEY = "fleetbox.controlToken";

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

let asking = null; // one token dialog at a time, shared by every call waiting for it

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function askForToken(reason) {
  if (asking) return asking;
  const dialog = document.getElementById("token-dialog");
  const form = document.getElementById("token-form");
  if (reason) document.getElementById("token-reason").textContent = reason;
  form.reset();
  asking = new Promise((resolve) => {
    dialog.addEventListener(
      "close",
      () => {
        asking = null;
        const value = form.elements.token.value.trim();
        if (dialog.returnValue === "ok" && value) {
          sessionStorage.setItem(TOKEN_KEY, value);
          document.getElementById("token-button").hidden = false;
          resolve(true);
        } else {
          resolve(false);
        }
      },
      { once: true },
    );
    dialog.showModal();
  });
  return asking;
}

export async function call(method, path, { body, query, raw } = {}) {
  let url = `${BASE}${path}`;
  if (query) {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== "") params.set(name, value);
    }
    if ([...params].length) url += `?${params}`;
  }
  for (;;) {
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const current = token();
    if (current) headers.Authorization = `Bearer ${current}`;
    const response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
    });
    if (response.status === 401) {
      const reason = current
        ? "The control plane refused the token. Enter the one this server was started with."
        : null;
      if (current) sessionStorage.removeItem(TOKEN_KEY);
      if (await askForToken(reason)) continue;
    }
    if (!response.ok) {
      let problem = null;
      try {
        problem = await response.json();
      } catch {
        problem = null;
      }
      throw new ApiError(response.status, problem);
    }
    if (raw) return response;
    return response.status === 204 ? null : response.json();
  }
}

const sandbox = (id) => `/sandboxes/${encodeURIComponent(id)}`;

export const api = {
  health: () => call("GET", "/health"),
  sandboxes: () => call("GET", "/sandboxes"),
  sandbox: (id) => call("GET", sandbox(id)),
  create: (body) => call("POST", "/sandboxes", { body }),
  remove: (id) => call("DELETE", sandbox(id)),
  reset: (id) => call("POST", `${sandbox(id)}/reset`, { body: {} }),
  journal: (id, query) => call("GET", `${sandbox(id)}/journal`, { query }),
  clearJournal: (id) => call("DELETE", `${sandbox(id)}/journal`),
  clock: (id) => call("GET", `${sandbox(id)}/clock`),
  setClock: (id, body) => call("PUT", `${sandbox(id)}/clock`, { body }),
  advance: (id, seconds) => call("POST", `${sandbox(id)}/clock/advance`, { body: { seconds } }),
  limits: (id) => call("GET", `${sandbox(id)}/rate-limits`),
  setLimits: (id, body) => call("PUT", `${sandbox(id)}/rate-limits`, { body }),
  events: (id, query) => call("GET", `${sandbox(id)}/events`, { query }),
  webhooks: (id) => call("GET", `${sandbox(id)}/webhooks`),
  addWebhook: (id, body) => call("POST", `${sandbox(id)}/webhooks`, { body }),
  removeWebhook: (id, hook) => call("DELETE", `${sandbox(id)}/webhooks/${encodeURIComponent(hook)}`),
  deliveries: (id) => call("GET", `${sandbox(id)}/deliveries`),
  faults: (id) => call("GET", `${sandbox(id)}/faults`),
  addFault: (id, body) => call("POST", `${sandbox(id)}/faults`, { body }),
  removeFault: (id, fault) => call("DELETE", `${sandbox(id)}/faults/${encodeURIComponent(fault)}`),
  exportState: (id) => call("GET", `${sandbox(id)}/state`),
  importState: (id, body) => call("PUT", `${sandbox(id)}/state`, { body }),
};
