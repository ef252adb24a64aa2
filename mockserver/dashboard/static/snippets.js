// The README's curl lines for each shipped profile, filled in with a sandbox's credentials. A profile
// without lines here (one registered with $FLEETBOX_PROFILES) shows its credentials only.

import { shellQuote } from "./dom.js";

const JSON_TOKEN = (field) => `python3 -c 'import sys,json; print(json.load(sys.stdin)["${field}"])'`;

const LINES = {
  trimble(base, accounts) {
    const account = accounts.find((candidate) => candidate.type === "direct") || accounts[0];
    if (!account) return null;
    return [
      `BASE=${base}`,
      `TOKEN=$(curl -s -X POST $BASE/accounts/authenticate -H 'Content-Type: application/json' \\`,
      `        -d ${shellQuote(JSON.stringify({ apiKey: account.apiKey }))} | ${JSON_TOKEN("token")})`,
      `curl -s "$BASE/vehicles?limit=2" -H "Authorization: bearer $TOKEN"`,
    ];
  },
  invers(base, clients) {
    const client = clients[0];
    if (!client) return null;
    return [
      `BASE=${base}`,
      `TOKEN=$(curl -s -X POST "$BASE/auth/oauth/token?grant_type=client_credentials" \\`,
      `        -u ${shellQuote(`${client.client_id}:${client.client_secret}`)} | ${JSON_TOKEN("access_token")})`,
      `curl -s "$BASE/vehicles?limit=2" -H "Authorization: Bearer $TOKEN"`,
    ];
  },
  hourfleet(base, credentials) {
    const app = credentials.client_applications?.[0];
    const user = credentials.users?.find((candidate) => candidate.role === "user") || credentials.users?.[0];
    if (!app || !user) return null;
    const appQuery = `client_id=${app.client_id}&client_secret=${app.client_secret}`;
    const login = `username=${encodeURIComponent(user.username)}&password=${encodeURIComponent(user.password)}`;
    const authorize = `client_id=${app.client_id}&redirect_uri=${app.redirect_uri}&state=x`;
    return [
      `BASE=${base}`,
      `APP=${shellQuote(appQuery)}`,
      `CODE=$(curl -s -o /dev/null -w '%{redirect_url}' -X POST $BASE/oauth/auth \\`,
      `       -d ${shellQuote(`${login}&response_type=code`)} \\`,
      `       -d ${shellQuote(authorize)} | sed 's/.*code=\\([^&]*\\).*/\\1/')`,
      `TOKEN=$(curl -s -X POST $BASE/oauth/token -d "grant_type=authorization_code&code=$CODE&$APP" \\`,
      `        | ${JSON_TOKEN("access_token")})`,
      `curl -s "$BASE/cars?limit=2" -H "Authorization: Bearer $TOKEN"`,
    ];
  },
};

export function snippets(profile, base, credentials) {
  const lines = LINES[profile]?.(base, credentials);
  return lines ? lines.join("\n") : null;
}
