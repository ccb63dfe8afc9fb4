import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { AuthenticationError, type BoldSignClientOptions, createBoldSignClient, ValidationError } from "../src/index.js";
import { clientFor, lastRequest, useBoldSignSandbox } from "./helpers.js";

const { sb, client } = useBoldSignSandbox();

describe("API key", () => {
  it("goes in X-API-KEY and nowhere else", async () => {
    await client().users.listPage({ Page: 1 });
    const req = lastRequest(sb());
    expect(req.headers["x-api-key"]).toBe(sb().credentials.apiKey);
    expect(req.headers.authorization).toBeUndefined();
  });

  it("a wrong key gives AuthenticationError with BoldSign's message, and the key appears nowhere in it", async () => {
    const secret = "wrong-boldsign-key-0123456789";
    const error = await clientFor(sb(), { apiKey: secret }).users.listPage({ Page: 1 }).catch((e) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.status).toBe(401);
    expect(error.body).toEqual({ error: "Invalid API key or access token." });
    expect(JSON.stringify(error)).not.toContain(secret);
    expect(inspect(error, { depth: 10 })).not.toContain(secret);
    expect(error.request.headers["x-api-key"]).toBe("[REDACTED]");
  });

  it("can be a function, called before every request", async () => {
    let calls = 0;
    const rotating = clientFor(sb(), {
      apiKey: () => {
        calls++;
        return sb().credentials.apiKey;
      },
    });
    await rotating.users.listPage({ Page: 1 });
    await rotating.users.listPage({ Page: 1 });
    expect(calls).toBe(2);
  });
});

describe("access token", () => {
  it("goes in Authorization: Bearer and X-API-KEY is not sent", async () => {
    const oauth = createBoldSignClient({ accessToken: (sb().otherCredentials.oauth!.accessToken as string), baseUrl: sb().url });
    await oauth.users.listPage({ Page: 1 });
    const req = lastRequest(sb());
    expect(req.headers.authorization).toBe(`Bearer ${(sb().otherCredentials.oauth!.accessToken as string)}`);
    expect(req.headers["x-api-key"]).toBeUndefined();
  });

  it("a refused string token is not retried: there is nothing to refresh it with", async () => {
    const start = sb().requests.length;
    const oauth = createBoldSignClient({ accessToken: "expired-token-0123", baseUrl: sb().url });
    await expect(oauth.users.listPage({ Page: 1 })).rejects.toBeInstanceOf(AuthenticationError);
    expect(sb().requests.length - start).toBe(1);
  });

  it("a token function is asked again with refresh: true after a 401, and the request repeated once", async () => {
    const asked: boolean[] = [];
    const oauth = createBoldSignClient({
      baseUrl: sb().url,
      accessToken: ({ refresh }) => {
        asked.push(refresh);
        return refresh ? (sb().otherCredentials.oauth!.accessToken as string) : "stale-token-0123";
      },
    });
    const start = sb().requests.length;
    const page = await oauth.users.listPage({ Page: 1 });
    expect(page.result).toHaveLength(1);
    expect(asked).toEqual([false, true]);
    expect(sb().requests.slice(start).map((r) => [r.headers.authorization, r.status])).toEqual([
      ["Bearer stale-token-0123", 401],
      [`Bearer ${(sb().otherCredentials.oauth!.accessToken as string)}`, 200],
    ]);
  });

  it("gives up with AuthenticationError when the refreshed token is refused too", async () => {
    let refreshes = 0;
    const oauth = createBoldSignClient({
      baseUrl: sb().url,
      accessToken: ({ refresh }) => {
        if (refresh) refreshes++;
        return "revoked-token-0123";
      },
    });
    const start = sb().requests.length;
    await expect(oauth.users.get({ userId: sb().state.ownerId })).rejects.toBeInstanceOf(AuthenticationError);
    expect(refreshes).toBe(1);
    expect(sb().requests.length - start).toBe(2);
  });

  it("requests refused together share one refresh", async () => {
    let refreshes = 0;
    const oauth = createBoldSignClient({
      baseUrl: sb().url,
      accessToken: async ({ refresh }) => {
        if (!refresh) return "stale-token-0123";
        refreshes++;
        // A slow token endpoint: the other refused requests arrive while this one runs.
        await new Promise((resolve) => setTimeout(resolve, 200));
        return (sb().otherCredentials.oauth!.accessToken as string);
      },
    });
    const pages = await Promise.all([1, 2, 3].map((Page) => oauth.users.listPage({ Page })));
    expect(pages).toHaveLength(3);
    expect(refreshes).toBe(1);
  });
});

describe("choosing credentials", () => {
  it("refuses both an apiKey and an accessToken at construction", () => {
    const both = { apiKey: "key-0123", accessToken: "token-0123" } as unknown as BoldSignClientOptions;
    expect(() => createBoldSignClient(both)).toThrow(ValidationError);
    expect(() => createBoldSignClient(both)).toThrow(expect.objectContaining({ field: "accessToken" }));
    // @ts-expect-error the options type allows only one of them
    expect(() => createBoldSignClient({ apiKey: "key-0123", accessToken: "token-0123" })).toThrow(ValidationError);
  });

  it("refuses neither, and empty values, at construction", () => {
    // @ts-expect-error one of apiKey and accessToken is required
    expect(() => createBoldSignClient({ baseUrl: "https://example.com" })).toThrow(
      expect.objectContaining({ name: "ValidationError", field: "apiKey" }),
    );
    expect(() => createBoldSignClient({ apiKey: "" })).toThrow(expect.objectContaining({ field: "apiKey" }));
    expect(() => createBoldSignClient({ accessToken: "" })).toThrow(expect.objectContaining({ field: "accessToken" }));
  });
});
