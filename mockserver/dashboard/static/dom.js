// Small DOM helpers: elements are built with text nodes only, so nothing a client sent is ever markup.

export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") element.className = value;
    else if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name in element && typeof value !== "string") element[name] = value;
    else element.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export const $ = (id) => document.getElementById(id);

const REASONS = {
  200: "OK", 201: "Created", 202: "Accepted", 204: "No Content", 301: "Moved", 302: "Found", 303: "See Other",
  304: "Not Modified", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
  405: "Method Not Allowed", 406: "Not Acceptable", 409: "Conflict", 413: "Too Large", 415: "Unsupported Type",
  422: "Unprocessable", 429: "Too Many Requests", 500: "Server Error", 502: "Bad Gateway",
  503: "Unavailable", 504: "Gateway Timeout",
};

// A status as text, a symbol and a colour class: the colour is never the only signal.
export function statusBadge(status) {
  const kind = status >= 500 ? "server" : status >= 400 ? "client" : status >= 300 ? "redirect" : "ok";
  const symbol = { ok: "✓", redirect: "↪", client: "✗", server: "⚠" }[kind];
  return h(
    "span",
    { class: `status status-${kind}`, title: `${status} ${REASONS[status] || ""}`.trim() },
    h("span", { "aria-hidden": "true" }, symbol),
    ` ${status} `,
    h("span", { class: "reason" }, REASONS[status] || ""),
  );
}

export function time(iso) {
  if (!iso) return "";
  return iso.replace("T", " ").replace(/\.\d+/, "").replace("Z", " UTC");
}

// A body for reading: JSON pretty-printed, anything else as it came.
export function pretty(text) {
  if (!text) return "";
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export function shellQuote(text) {
  return `'${String(text).replaceAll("'", "'\\''")}'`;
}

export function copyButton(label, text) {
  const button = h("button", { type: "button", class: "copy", "aria-label": label }, "Copy");
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(typeof text === "function" ? text() : text);
      button.textContent = "Copied";
    } catch {
      button.textContent = "Select and copy";
    }
    setTimeout(() => (button.textContent = "Copy"), 1500);
  });
  return button;
}

export function codeBlock(text, label) {
  return h("div", { class: "code" }, copyButton(`Copy ${label}`, text), h("pre", {}, h("code", {}, text)));
}

export function table(headings, rows, caption) {
  return h(
    "table",
    {},
    caption ? h("caption", { class: "visually-hidden" }, caption) : null,
    h("thead", {}, h("tr", {}, headings.map((heading) => h("th", { scope: "col" }, heading)))),
    h("tbody", {}, rows.map((cells) => h("tr", {}, cells.map((cell) => h("td", {}, cell))))),
  );
}

export function download(name, text) {
  const link = h("a", { href: URL.createObjectURL(new Blob([text], { type: "application/json" })), download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}
