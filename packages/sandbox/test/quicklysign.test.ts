import { request } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, type SandboxCredentials, type SandboxState, startSandbox } from "../src/index.js";

let sb: Sandbox<SandboxCredentials["quicklysign"], SandboxState["quicklysign"]>;

beforeAll(async () => {
  sb = await startSandbox({ provider: "quicklysign" });
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

interface Answer {
  status: number;
  // Loose on purpose: each test asserts the exact shape it expects.
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

async function call(
  method: string,
  path: string,
  init: { json?: unknown; body?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...init.headers };
  let body = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    headers["Content-Type"] ??= "application/json";
  }
  const res = await fetch(`${sb.url}${path}`, { method, body, headers });
  const text = await res.text();
  return { status: res.status, text, json: text ? JSON.parse(text) : undefined };
}

/** fetch refuses a body on GET; SDKs send one anyway, so the sandbox is tested with one. */
function getWithBody(path: string, body: string, headers: Record<string, string>): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const length = String(Buffer.byteLength(body));
    const req = request(`${sb.url}${path}`, { method: "GET", headers: { ...headers, "Content-Length": length } }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0 }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const app = () => ({ client_id: sb.credentials.clientId, client_secret: sb.credentials.clientSecret });
const newUser = (email = "ada@example.com") => ({ name: "Ada", last_name: "Lovelace", email_address: email });

async function createUser(email?: string) {
  const res = await call("POST", "/users", { json: { ...app(), user: newUser(email) } });
  expect(res.status).toBe(200);
  return res.json.data.user as { key: string; api_key: string };
}

async function tokenFor(apiKey: string): Promise<string> {
  const res = await call("POST", "/access_tokens", { json: { ...app(), api_key: apiKey } });
  expect(res.status).toBe(200);
  return res.json.data.access_token;
}

describe("the QuicklySign sandbox keeps real state", () => {
  it("creates a user with an api_key, issues a token, reads and updates the user", async () => {
    const created = await call("POST", "/users", {
      json: { ...app(), user: { ...newUser(), mobile_number: "+27821234567" } },
    });
    expect(created.status).toBe(200);
    expect(created.json).toEqual({
      status: { status_code: 200 },
      data: {
        user: {
          key: "user_000001",
          name: "Ada",
          last_name: "Lovelace",
          email_address: "ada@example.com",
          mobile_number: "+27821234567",
          api_key: expect.stringMatching(/^qsk_[0-9a-f]{32}$/),
          date_updated: expect.any(Number),
        },
      },
    });
    const apiKey = created.json.data.user.api_key;
    expect(sb.state.users.get("user_000001")?.apiKey).toBe(apiKey);

    const token = await tokenFor(apiKey);
    expect(token).toMatch(/^qst_[0-9a-f]{32}$/);
    expect(sb.state.tokens.get(token)?.userKey).toBe("user_000001");

    const self = await call("GET", "/users/self", { headers: { access_token: token } });
    expect(self.status).toBe(200);
    expect(self.json.data.user).toMatchObject({ key: "user_000001", email_address: "ada@example.com" });
    expect("api_key" in self.json.data.user).toBe(false);

    const before = self.json.data.user.date_updated;
    const updated = await call("PUT", "/users/self", {
      headers: { access_token: token },
      json: { last_name: "King", mobile_number: "+44 20 7946 0000" },
    });
    expect(updated.status).toBe(200);
    expect(updated.json.data.user).toMatchObject({ last_name: "King", mobile_number: "+44 20 7946 0000" });
    expect(updated.json.data.user.date_updated).toBeGreaterThan(before);
    expect((await call("GET", "/users/self", { headers: { access_token: token } })).json.data.user.last_name).toBe(
      "King",
    );
  });

  it("answers mobile_number null when none was given", async () => {
    const res = await call("POST", "/users", { json: { ...app(), user: newUser() } });
    expect(res.json.data.user.mobile_number).toBeNull();
  });

  it("refuses a duplicate email, whatever its case, with 409 duplicate_email", async () => {
    await createUser("dup@example.com");
    const res = await call("POST", "/users", { json: { ...app(), user: newUser("DUP@example.com") } });
    expect(res.status).toBe(409);
    expect(res.json).toEqual({
      status: {
        status_code: 409,
        errors: [{ code: "duplicate_email", message: "A user with this email address already exists." }],
      },
    });
    expect(sb.state.users.size).toBe(2); // the owner every sandbox starts with, and the first one;
  });
});

describe("credentials", () => {
  it("wrong client credentials → 401 invalid_client_credentials, on both application endpoints", async () => {
    const wrong = { client_id: sb.credentials.clientId, client_secret: "not-the-secret" };
    const create = await call("POST", "/users", { json: { ...wrong, user: newUser() } });
    expect(create.status).toBe(401);
    expect(create.json.status).toEqual({
      status_code: 401,
      errors: [{ code: "invalid_client_credentials", message: expect.any(String) }],
    });
    const { api_key } = await createUser();
    const token = await call("POST", "/access_tokens", { json: { ...wrong, api_key } });
    expect(token.status).toBe(401);
    expect(token.json.status.errors[0].code).toBe("invalid_client_credentials");
    expect(sb.state.tokens.size).toBe(0);
  });

  it("an unknown api_key → 401 invalid_api_key", async () => {
    const res = await call("POST", "/access_tokens", { json: { ...app(), api_key: "qsk_unknown" } });
    expect(res.status).toBe(401);
    expect(res.json.status.errors[0].code).toBe("invalid_api_key");
  });

  it("a missing or unknown access_token header → 401; Authorization is not read", async () => {
    const { api_key } = await createUser();
    const token = await tokenFor(api_key);
    const missing = await call("GET", "/users/self");
    expect(missing.status).toBe(401);
    expect(missing.json.status.errors[0].code).toBe("missing_access_token");
    const bearer = await call("GET", "/users/self", { headers: { Authorization: `Bearer ${token}` } });
    expect(bearer.json.status.errors[0].code).toBe("missing_access_token");
    const unknown = await call("PUT", "/users/self", { headers: { access_token: "qst_nope" }, json: { name: "X" } });
    expect(unknown.status).toBe(401);
    expect(unknown.json.status.errors[0].code).toBe("invalid_access_token");
  });

  it("an expired token → 401 expired_access_token; a new token works again", async () => {
    const { api_key } = await createUser();
    const token = await tokenFor(api_key);
    const issued = sb.state.tokens.get(token)!;
    expect(issued.expiresAt - Date.now()).toBeGreaterThan(59 * 60 * 1000);
    issued.expiresAt = Date.now() - 1;
    const expired = await call("GET", "/users/self", { headers: { access_token: token } });
    expect(expired.status).toBe(401);
    expect(expired.json).toEqual({
      status: {
        status_code: 401,
        errors: [{ code: "expired_access_token", message: "The access token has expired; request a new one." }],
      },
    });
    const fresh = await tokenFor(api_key);
    expect((await call("GET", "/users/self", { headers: { access_token: fresh } })).status).toBe(200);
  });

  it("a valid token whose user is gone → 404 not_found", async () => {
    const { key, api_key } = await createUser();
    const token = await tokenFor(api_key);
    sb.state.users.delete(key);
    const res = await call("GET", "/users/self", { headers: { access_token: token } });
    expect(res.status).toBe(404);
    expect(res.json.status.errors).toEqual([{ code: "not_found", message: "The user no longer exists." }]);
  });

  it("settings.tokenLifetimeMs sets how long tokens live", async () => {
    const short = await startSandbox({ provider: "quicklysign", settings: { tokenLifetimeMs: 1000 } });
    try {
      const creds = { client_id: short.credentials.clientId, client_secret: short.credentials.clientSecret };
      const post = (path: string, json: unknown) =>
        fetch(`${short.url}${path}`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(json),
        }).then((r) => r.json());
      const created = await post("/users", { ...creds, user: newUser() });
      const issued = await post("/access_tokens", { ...creds, api_key: created.data.user.api_key });
      const token = issued.data.access_token as string;
      const get = () => fetch(`${short.url}/users/self`, { headers: { access_token: token } });
      expect((await get()).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1100));
      expect((await get()).status).toBe(401);
    } finally {
      await short.close();
    }
  });

  it("refuses a bad tokenLifetimeMs at start", async () => {
    await expect(startSandbox({ provider: "quicklysign", settings: { tokenLifetimeMs: -1 } })).rejects.toThrow(
      /tokenLifetimeMs/,
    );
  });

  it("accepts other credentials when given", async () => {
    const custom = await startSandbox({ provider: "quicklysign", credentials: { clientSecret: "custom-secret" } });
    try {
      // What a client needs: the application's credentials and the owner's api_key.
      expect(custom.credentials).toEqual({
        clientId: "sandbox-quicklysign-client-id",
        clientSecret: "custom-secret",
        apiKey: "qsk_sandbox-owner-api-key",
      });
      expect(custom.otherCredentials).toEqual({ application: { clientId: "sandbox-quicklysign-client-id", clientSecret: "custom-secret" } });
      expect([...custom.state.users.values()].map((u) => u.email)).toEqual(["owner@example.com"]);
    } finally {
      await custom.close();
    }
  });
});

describe("always_use_http_status_code_200", () => {
  it("forces 200 on a failure and keeps the real status in the body", async () => {
    const res = await call("GET", "/users/self?always_use_http_status_code_200=true");
    expect(res.status).toBe(200);
    expect(res.json.status).toMatchObject({ status_code: 401, errors: [{ code: "missing_access_token" }] });
    const unknownPath = await call("GET", "/teams?always_use_http_status_code_200=true");
    expect(unknownPath.status).toBe(200);
    expect(unknownPath.json.status.status_code).toBe(404);
  });

  it("forces 200 on spec violations and conflicts too", async () => {
    await createUser("dup@example.com");
    const dup = await call("POST", "/users?always_use_http_status_code_200=true", {
      json: { ...app(), user: newUser("dup@example.com") },
    });
    expect(dup.status).toBe(200);
    expect(dup.json.status).toMatchObject({ status_code: 409, errors: [{ code: "duplicate_email" }] });
    const bad = await call("POST", "/users?always_use_http_status_code_200=true", {
      json: { ...app(), user: newUser("nope") },
    });
    expect(bad.status).toBe(200);
    expect(bad.json.status.status_code).toBe(400);
  });

  it("leaves successes alone, and the real status without the flag or with false", async () => {
    const ok = await call("POST", "/users?always_use_http_status_code_200=true", { json: { ...app(), user: newUser() } });
    expect(ok.status).toBe(200);
    expect(ok.json.status).toEqual({ status_code: 200 });
    expect((await call("GET", "/users/self?always_use_http_status_code_200=false")).status).toBe(401);
  });

  it("refuses a value that is not a boolean, with the real status", async () => {
    const { api_key } = await createUser();
    const token = await tokenFor(api_key);
    const res = await call("GET", "/users/self?always_use_http_status_code_200=yes", {
      headers: { access_token: token },
    });
    expect(res.status).toBe(400);
    expect(res.json.status.errors).toEqual([
      { code: "invalid_field", message: "always_use_http_status_code_200: must be boolean" },
    ]);
  });
});

describe("requests the spec forbids get QuicklySign's own 400s naming the fields", () => {
  it("a bad email, an empty name and a bad mobile number → invalid_field for each", async () => {
    const res = await call("POST", "/users", {
      json: { ...app(), user: { name: "", last_name: "Lovelace", email_address: "nope", mobile_number: "call me" } },
    });
    expect(res.status).toBe(400);
    expect(res.json.status.status_code).toBe(400);
    const errors = res.json.status.errors as { code: string; message: string }[];
    expect(errors.every((e) => e.code === "invalid_field")).toBe(true);
    const fields = errors.map((e) => e.message.split(":")[0]);
    expect(new Set(fields)).toEqual(new Set(["user.name", "user.email_address", "user.mobile_number"]));
    expect(errors).toContainEqual({ code: "invalid_field", message: 'user.email_address: must match format "email"' });
    expect(sb.state.users.size).toBe(1); // only the owner;
  });

  it("missing fields are named, nested ones with their path", async () => {
    const res = await call("POST", "/users", {
      json: { client_id: sb.credentials.clientId, user: { name: "Ada", last_name: "Lovelace" } },
    });
    expect(res.status).toBe(400);
    expect(res.json.status.errors).toEqual(
      expect.arrayContaining([
        { code: "invalid_field", message: "client_secret: is required" },
        { code: "invalid_field", message: "user.email_address: is required" },
      ]),
    );
  });

  it("email_address in an update is refused: it cannot be changed", async () => {
    const { api_key } = await createUser();
    const token = await tokenFor(api_key);
    const res = await call("PUT", "/users/self", {
      headers: { access_token: token },
      json: { name: "Ada", email_address: "new@example.com" },
    });
    expect(res.status).toBe(400);
    expect(res.json.status.errors).toEqual([
      { code: "invalid_field", message: "email_address: the email address cannot be changed" },
    ]);
    expect(sb.state.users.get("user_000001")?.email).toBe("ada@example.com");
    expect(sb.state.users.get("user_000001")?.name).toBe("Ada");
  });

  it("an empty update and an unknown field are refused", async () => {
    const { api_key } = await createUser();
    const token = await tokenFor(api_key);
    const empty = await call("PUT", "/users/self", { headers: { access_token: token }, json: {} });
    expect(empty.status).toBe(400);
    expect(empty.json.status.errors[0].code).toBe("invalid_request");
    const unknown = await call("PUT", "/users/self", { headers: { access_token: token }, json: { nickname: "A" } });
    expect(unknown.json.status.errors).toContainEqual({
      code: "invalid_field",
      message: "nickname: is not an accepted field",
    });
  });

  it("a form body → 400 unsupported_content_type; broken JSON → 400 invalid_request", async () => {
    const form = await call("POST", "/users", {
      body: "client_id=x",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(form.status).toBe(400);
    expect(form.json.status.errors[0].code).toBe("unsupported_content_type");
    const broken = await call("POST", "/access_tokens", {
      body: "{not json",
      headers: { "Content-Type": "application/json" },
    });
    expect(broken.status).toBe(400);
    expect(broken.json.status.errors[0].code).toBe("invalid_request");
  });

  it("accepts Content-Type: application/json and a {} body on a GET, as SDKs send them", async () => {
    const { api_key } = await createUser();
    const token = await tokenFor(api_key);
    const typed = await call("GET", "/users/self", {
      headers: { access_token: token, "Content-Type": "application/json" },
    });
    expect(typed.status).toBe(200);
    const withBody = await getWithBody("/users/self", "{}", { access_token: token, "Content-Type": "application/json" });
    expect(withBody.status).toBe(200);
    expect(sb.requests.at(-1)?.body.toString()).toBe("{}");
    const realBody = await getWithBody("/users/self", '{"a":1}', {
      access_token: token,
      "Content-Type": "application/json",
    });
    expect(realBody.status).toBe(400);
  });

  it("an unknown path → 404 not_found, a wrong method → 405 method_not_allowed", async () => {
    const unknown = await call("GET", "/teams");
    expect(unknown.status).toBe(404);
    expect(unknown.json.status.errors[0].code).toBe("not_found");
    const wrong = await call("DELETE", "/users/self");
    expect(wrong.status).toBe(405);
    expect(wrong.json.status.errors[0]).toEqual({ code: "method_not_allowed", message: "This endpoint accepts GET, PUT." });
  });

  it("injected faults come in QuicklySign's error format", async () => {
    sb.faults.next(1, { type: "status", status: 503, retryAfter: 1 });
    const res = await call("POST", "/users", { json: { ...app(), user: newUser() } });
    expect(res.status).toBe(503);
    expect(res.json.status).toEqual({ status_code: 503, errors: [{ code: "server_error", message: expect.any(String) }] });
  });
});
