import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createQuicklySignClient,
  QUICKLYSIGN_BASE_URLS,
  type QuicklySignClient,
  ServerError,
  ValidationError,
} from "../src/index.js";
import { ada, clientFor, type QuicklySignSandbox, requestsTo, seedUser, startQuicklySign } from "./helpers.js";

let sb: QuicklySignSandbox;
let app: QuicklySignClient;

beforeAll(async () => {
  sb = await startQuicklySign();
});
afterAll(() => sb.close());
beforeEach(() => {
  sb.reset();
  app = clientFor(sb);
});

const last = () => sb.requests.at(-1)!;
describe("users.create", () => {
  it("POSTs the application credentials and the user as JSON, with no token, and returns the user", async () => {
    const user = await app.users.create({ user: { ...ada, mobile_number: "+27821234567" } });
    const stored = sb.state.users.get(user.key)!;
    expect(user).toEqual({
      key: "user_000001",
      name: "Ada",
      last_name: "Lovelace",
      email_address: "ada@example.com",
      mobile_number: "+27821234567",
      api_key: stored.apiKey,
      date_updated: stored.updated,
    });
    const req = last();
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/v1/users");
    expect(req.rawQuery).toBe("");
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.headers.access_token).toBeUndefined();
    expect(req.headers.authorization).toBeUndefined();
    expect(req.body.toString()).toBe(
      JSON.stringify({
        client_id: "sandbox-quicklysign-client-id",
        client_secret: "sandbox-quicklysign-client-secret",
        user: { name: "Ada", last_name: "Lovelace", email_address: "ada@example.com", mobile_number: "+27821234567" },
      }),
    );
  });

  it("sends always_use_http_status_code_200 in the query, not the body", async () => {
    await app.users.create({ user: ada, always_use_http_status_code_200: true });
    expect(last().rawQuery).toBe("always_use_http_status_code_200=true");
    expect(JSON.parse(last().body.toString())).not.toHaveProperty("always_use_http_status_code_200");
  });

  it("fills the application credentials from the client options, unless the call brings its own", async () => {
    await app.users.create({ user: ada });
    expect(JSON.parse(last().body.toString()).client_secret).toBe("sandbox-quicklysign-client-secret");
    // The call's own secret wins over the client's (wrong) one: the sandbox accepts it.
    const wrong = clientFor(sb, { clientSecret: "not-the-application-secret" });
    const created = await wrong.users.create({
      user: { ...ada, email_address: "grace@example.com" },
      client_secret: sb.credentials.clientSecret,
    });
    expect(created.email_address).toBe("grace@example.com");
    // A secret the caller passes is kept out of errors like the client's own.
    const refused = await wrong.users
      .create({ user: { ...ada, email_address: "alan@example.com" }, client_secret: "from-input-secret" })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ name: "AuthenticationError", code: "invalid_client_credentials" });
    expect(JSON.stringify(refused)).not.toContain("from-input-secret");
  });

  it("is not retried after a 500, since the user may exist already", async () => {
    sb.faults.next(1, { type: "status", status: 500 }, { operationId: "createUser", phase: "after" });
    await expect(app.users.create({ user: ada })).rejects.toBeInstanceOf(ServerError);
    expect(requestsTo(sb, "POST", "/v1/users")).toHaveLength(1);
    // The sandbox's owner, and the one user the single request made.
    expect([...sb.state.users.values()].map((u) => u.email)).toEqual(["owner@example.com", "ada@example.com"]);
  });
});

describe("accessTokens.create", () => {
  it("POSTs client_id, client_secret and api_key with no token header and returns the token data", async () => {
    const apiKey = await seedUser(sb);
    const token = await app.accessTokens.create({ api_key: apiKey });
    expect(token).toEqual({ access_token: expect.stringMatching(/^qst_/) });
    expect(sb.state.tokens.has(token.access_token)).toBe(true);
    const req = last();
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/v1/access_tokens");
    expect(req.rawQuery).toBe("");
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.headers.access_token).toBeUndefined();
    expect(req.headers.authorization).toBeUndefined();
    expect(req.body.toString()).toBe(
      JSON.stringify({
        client_id: "sandbox-quicklysign-client-id",
        client_secret: "sandbox-quicklysign-client-secret",
        api_key: apiKey,
      }),
    );
  });

  it("uses the client's apiKey when none is passed", async () => {
    const apiKey = await seedUser(sb);
    const client = clientFor(sb, { apiKey });
    await client.accessTokens.create();
    expect(JSON.parse(last().body.toString()).api_key).toBe(apiKey);
  });

  it("is retried after a 500: asking for a token twice is harmless", async () => {
    const apiKey = await seedUser(sb);
    sb.faults.next(1, { type: "status", status: 500 }, { operationId: "createAccessToken" });
    const token = await app.accessTokens.create({ api_key: apiKey });
    expect(sb.state.tokens.has(token.access_token)).toBe(true);
    expect(requestsTo(sb, "POST", "/v1/access_tokens").map((r) => r.status)).toEqual([500, 200]);
  });

  it("refuses a call with no api_key at all before any request", async () => {
    await expect(app.accessTokens.create()).rejects.toMatchObject({ name: "ValidationError", field: "api_key" });
    await expect(app.accessTokens.create({ api_key: "" })).rejects.toMatchObject({ field: "api_key" });
    expect(sb.requests).toHaveLength(0);
  });
});

describe("users.getSelf and users.updateSelf", () => {
  it("GET /users/self sends the token in the access_token header, no body, and returns the user", async () => {
    const apiKey = await seedUser(sb);
    const client = clientFor(sb, { apiKey });
    const me = await client.users.getSelf();
    expect(me).toEqual({
      key: "user_000001",
      name: "Ada",
      last_name: "Lovelace",
      email_address: "ada@example.com",
      mobile_number: null,
      date_updated: sb.state.users.get("user_000001")!.updated,
    });
    expect(me).not.toHaveProperty("api_key");
    const [token] = [...sb.state.tokens.keys()];
    const req = last();
    expect(req.method).toBe("GET");
    expect(req.path).toBe("/v1/users/self");
    expect(req.rawQuery).toBe("");
    expect(req.headers.access_token).toBe(token);
    expect(req.headers.authorization).toBeUndefined();
    expect(req.headers["content-type"]).toBeUndefined();
    expect(req.body.length).toBe(0);
  });

  it("PUT /users/self sends only the changed fields as JSON and returns the updated user", async () => {
    const apiKey = await seedUser(sb);
    const client = clientFor(sb, { apiKey });
    const updated = await client.users.updateSelf({ mobile_number: "+27831234567", last_name: "King" });
    expect(updated).toMatchObject({ key: "user_000001", last_name: "King", mobile_number: "+27831234567" });
    expect(sb.state.users.get("user_000001")).toMatchObject({ lastName: "King", mobile: "+27831234567" });
    const req = last();
    expect(req.method).toBe("PUT");
    expect(req.path).toBe("/v1/users/self");
    expect(req.rawQuery).toBe("");
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.headers.access_token).toBe([...sb.state.tokens.keys()][0]);
    expect(req.headers.authorization).toBeUndefined();
    expect(req.body.toString()).toBe('{"mobile_number":"+27831234567","last_name":"King"}');
  });

  it("passes always_use_http_status_code_200 in the query of both", async () => {
    const client = clientFor(sb, { apiKey: await seedUser(sb) });
    await client.users.getSelf({ always_use_http_status_code_200: true });
    expect(last().rawQuery).toBe("always_use_http_status_code_200=true");
    await client.users.updateSelf({ name: "Augusta", always_use_http_status_code_200: false });
    expect(last().rawQuery).toBe("always_use_http_status_code_200=false");
    expect(last().body.toString()).toBe('{"name":"Augusta"}');
  });
});

describe("raw", () => {
  it("sends access_token on /users/self but not on the application endpoints", async () => {
    const apiKey = await seedUser(sb);
    const client = clientFor(sb, { apiKey });
    const issued = await client.raw.POST("/access_tokens", {
      body: { client_id: sb.credentials.clientId, client_secret: sb.credentials.clientSecret, api_key: apiKey },
    });
    expect(issued.data?.data.access_token).toMatch(/^qst_/);
    expect(last().headers.access_token).toBeUndefined();
    const self = await client.raw.GET("/users/self");
    expect(self.data).toMatchObject({ status: { status_code: 200 }, data: { user: { key: "user_000001" } } });
    expect(last().headers.access_token).toBeDefined();
    const refused = await client.raw.PUT("/users/self", { body: { name: " " } });
    expect(refused.response.status).toBe(400);
    expect(refused.error?.status).toMatchObject({ status_code: 400 });
  });
});

describe("options", () => {
  const base = { clientId: "id", clientSecret: "secret" };

  it("talks to the sandbox API unless told otherwise", () => {
    expect(createQuicklySignClient(base).baseUrl).toBe("https://sandboxapi.quicklysign.com/v1");
    expect(createQuicklySignClient({ ...base, environment: "sandbox" }).baseUrl).toBe(QUICKLYSIGN_BASE_URLS.sandbox);
    const production = createQuicklySignClient({ ...base, environment: "production" });
    expect(production.environment).toBe("production");
    expect(production.baseUrl).toBe("https://api.quicklysign.com/v1");
    expect(createQuicklySignClient({ ...base, environment: "production", baseUrl: sb.url }).baseUrl).toBe(sb.url);
  });

  it("refuses missing credentials, an unknown environment and both apiKey and accessToken", () => {
    // @ts-expect-error clientSecret is required
    expect(() => createQuicklySignClient({ clientId: "id" })).toThrow(ValidationError);
    expect(() => createQuicklySignClient({ ...base, clientId: "" })).toThrow(/clientId/);
    // @ts-expect-error not an environment
    expect(() => createQuicklySignClient({ ...base, environment: "staging" })).toThrow(/environment/);
    expect(() => createQuicklySignClient({ ...base, apiKey: "k", accessToken: "t" })).toThrow(ValidationError);
    expect(() => createQuicklySignClient({ ...base, apiKey: "line\nbreak" })).toThrow(/apiKey/);
  });
});
