// The sandbox's other views: credentials, events and webhooks, and the clock, quotas and faults.

import { api } from "./api.js";
import { snippets } from "./snippets.js";
import { $, codeBlock, h, statusBadge, table, time } from "./dom.js";

export function renderCredentials(sandbox, profiles) {
  const sections = Object.entries(sandbox.credentials).map(([name, credentials]) => {
    const profile = profiles.find((candidate) => candidate.name === name);
    const base = `${location.origin}${profile ? profile.basePath : ""}`;
    const snippet = snippets(name, base, credentials);
    return h(
      "section",
      { class: "credentials", "aria-labelledby": `credentials-${name}` },
      h(
        "h3",
        { id: `credentials-${name}` },
        name,
        " ",
        profile
          ? h("a", { href: `${profile.basePath.slice(1)}/ui/`, target: "_blank", rel: "noopener" }, "Swagger UI")
          : null,
      ),
      profile ? h("p", { class: "muted" }, "Base URL ", h("code", {}, base)) : null,
      codeBlock(JSON.stringify(credentials, null, 2), `${name} credentials`),
      snippet ? h("h4", {}, "Try it") : null,
      snippet ? codeBlock(snippet, `${name} curl lines`) : null,
    );
  });
  $("panel-credentials").replaceChildren(...sections);
}

export async function renderEvents(id) {
  const form = $("event-filters").elements;
  const query = { audience: form.audience.value.trim(), type: form.type.value.trim(), limit: 200 };
  const [{ events }, { webhooks }, { deliveries }] = await Promise.all([
    api.events(id, query),
    api.webhooks(id),
    api.deliveries(id),
  ]);
  $("events").replaceChildren(
    events.length
      ? table(
          ["#", "occurred", "profile", "audience", "type", "payload"],
          events
            .slice()
            .reverse()
            .map((event) => [
              String(event.seq),
              time(event.occurredAt),
              event.profile,
              event.audience,
              event.type,
              h("details", {}, h("summary", {}, "payload"), h("pre", {}, JSON.stringify(event.payload, null, 2))),
            ]),
          "Events, newest first",
        )
      : h("p", { class: "muted" }, "No events (yet) for this filter."),
  );
  $("webhooks").replaceChildren(
    webhooks.length
      ? table(
          ["name", "audience", "URL", "types", ""],
          webhooks.map((hook) => [
            hook.name || hook.id,
            hook.audience,
            hook.url,
            hook.events.join(", ") || "all",
            h(
              "button",
              {
                type: "button",
                class: "danger",
                "aria-label": `Remove subscription ${hook.name || hook.id}`,
                onclick: async () => {
                  await api.removeWebhook(id, hook.id);
                  await renderEvents(id);
                },
              },
              "Remove",
            ),
          ]),
          "Webhook subscriptions",
        )
      : h("p", { class: "muted" }, "No subscriptions."),
  );
  $("deliveries").replaceChildren(
    deliveries.length
      ? table(
          ["event", "URL", "state", "attempts"],
          deliveries
            .slice()
            .reverse()
            .map((delivery) => [
              delivery.eventType,
              delivery.url,
              h("span", { class: `state state-${delivery.state}` }, delivery.state),
              h(
                "ol",
                { class: "attempts" },
                delivery.attempts.map((attempt) =>
                  h(
                    "li",
                    {},
                    `${time(attempt.at)} `,
                    attempt.status ? statusBadge(attempt.status) : h("span", { class: "status status-server" }, "error"),
                    attempt.error ? ` ${attempt.error}` : "",
                  ),
                ),
              ),
            ]),
          "Webhook deliveries, newest first",
        )
      : h("p", { class: "muted" }, "No deliveries."),
  );
}

export async function renderControls(id, profileNames) {
  const [clock, limits, { faults }] = await Promise.all([api.clock(id), api.limits(id), api.faults(id)]);
  renderClock(clock);
  const quotas = $("quotas-form");
  quotas.replaceChildren(
    ...profileNames.map((name) =>
      h(
        "fieldset",
        { class: "inline", "data-profile": name },
        h("legend", {}, name),
        h("label", {}, "Requests ", h("input", { name: `${name}-limit`, type: "number", min: 1, value: limits[name]?.limit ?? "" })),
        h("label", {}, "per seconds ", h("input", { name: `${name}-window`, type: "number", min: 0.001, step: "any", value: limits[name]?.windowSeconds ?? "" })),
        h("span", { class: "muted" }, limits[name] ? "" : "no quota"),
      ),
    ),
    h("button", { type: "submit" }, "Save quotas"),
  );
  $("faults").replaceChildren(
    faults.length
      ? table(
          ["applies to", "does", "", ""],
          faults.map((fault) => [
            `${fault.profile || "any profile"} ${fault.method || "any method"} ${fault.path || "*"}`,
            [
              fault.status ? `answers ${fault.status}` : "",
              fault.latencyMs ? `waits ${fault.latencyMs} ms` : "",
              fault.drop ? "drops the connection" : "",
            ]
              .filter(Boolean)
              .join(", "),
            `p=${fault.probability}${fault.remaining === null ? "" : `, ${fault.remaining} left`}`,
            h(
              "button",
              {
                type: "button",
                class: "danger",
                "aria-label": `Remove fault ${fault.id}`,
                onclick: async () => {
                  await api.removeFault(id, fault.id);
                  await renderControls(id, profileNames);
                },
              },
              "Remove",
            ),
          ]),
          "Fault rules",
        )
      : h("p", { class: "muted" }, "No fault rules."),
  );
}

export function renderClock(clock) {
  const offset = clock.offsetSeconds;
  const drift = offset ? ` (${offset > 0 ? "+" : ""}${formatSeconds(offset)} from real time)` : " (real time)";
  $("clock").replaceChildren(
    h("strong", {}, time(clock.now)),
    h("span", { class: clock.frozen ? "frozen" : "running" }, clock.frozen ? " ❄ frozen" : " ▶ running"),
    drift,
  );
  // The form to set the clock starts from where it stands (datetime-local wants no zone).
  const setting = $("set-form").elements.now;
  if (!setting.value) setting.value = clock.now.slice(0, 19);
  $("freeze-button").textContent = clock.frozen ? "Unfreeze" : "Freeze";
  $("freeze-button").dataset.frozen = String(clock.frozen);
  $("freeze-button").dataset.now = clock.now;
}

export function readQuotas(form, profileNames) {
  const body = {};
  for (const name of profileNames) {
    const limit = form.elements[`${name}-limit`].value;
    const window = form.elements[`${name}-window`].value;
    body[name] = limit && window ? { limit: Number(limit), windowSeconds: Number(window) } : null;
  }
  return body;
}

export function readFault(form) {
  const fields = form.elements;
  const body = {};
  for (const name of ["profile", "method", "path"]) if (fields[name].value) body[name] = fields[name].value;
  for (const name of ["status", "latencyMs", "probability", "times"]) {
    if (fields[name].value !== "") body[name] = Number(fields[name].value);
  }
  if (fields.drop.checked) body.drop = true;
  return body;
}

function formatSeconds(seconds) {
  const size = Math.abs(seconds);
  if (size >= 86400) return `${(seconds / 86400).toFixed(1)} d`;
  if (size >= 3600) return `${(seconds / 3600).toFixed(1)} h`;
  if (size >= 60) return `${(seconds / 60).toFixed(1)} min`;
  return `${seconds.toFixed(0)} s`;
}
