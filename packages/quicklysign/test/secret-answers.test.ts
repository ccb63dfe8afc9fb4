import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { attack } from "../../runtime/test/attacks.js";
import { createQuicklySignClient, RedirectError, ResponseFormatError } from "../src/index.js";

// The answers that carry a secret the client has not seen before (a new user's api_key,
// a new access token): when such an answer is malformed, the secret must not end up in
// the error, which is made before the secret could be registered for redaction.

const API_KEY = "qsk_live_fresh-user-key-8c1d2e";
const TOKEN = "qat_fresh-token-5a6b7c8d";

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A QuicklySign stand-in on 127.0.0.1 that answers every request with `body` (status 201). */
async function answering(body: string, status = 201): Promise<string> {
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server?.address() as AddressInfo).port}/v1`;
}

const shown = (error: unknown) => [String(error), (error as Error).stack, inspect(error, { depth: 10 }), JSON.stringify(error)].join("\n");
const client = (baseUrl: string) => createQuicklySignClient({ baseUrl, clientId: "app-id-123", clientSecret: "app-secret-456", maxRetries: 0 });

describe("a malformed answer that carries a secret", () => {
  it("users.create: the new api_key is not in ResponseFormatError (body, message, cause)", async (context) => {
    const done = attack(context, "secret-in-malformed-answer");
    const baseUrl = await answering(`{"status":{"status_code":201},"data":{"user":{"key":"user_9","api_key":"${API_KEY}","name":"A`);
    const error = await client(baseUrl)
      .users.create({ user: { name: "A", last_name: "B", email_address: "a@example.com" } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseFormatError);
    expect((error as ResponseFormatError).body).toBeUndefined();
    expect(shown(error)).not.toContain(API_KEY.slice(0, 12));
    expect((error as Error).message).toContain("not kept");
    done(`QuicklySign create: ${(error as Error).name}, body not kept, api_key nowhere`);
  });

  it("accessTokens.create: the new token is not in ResponseFormatError either", async (context) => {
    const done = attack(context, "secret-in-malformed-answer");
    const baseUrl = await answering(`{"status":{"status_code":201},"data":{"access_token":"${TOKEN}","expires`);
    const error = await client(baseUrl).accessTokens.create({ api_key: "qsk_some-user-key" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseFormatError);
    expect(shown(error)).not.toContain(TOKEN.slice(0, 12));
    done(`QuicklySign access token: ${(error as Error).name}, token nowhere`);
  });

  it("the application credentials in the body are not re-sent to another origin", async (context) => {
    const done = attack(context, "redirect-307-credentials");
    const elsewhere = await answering("{}", 200);
    const seen: string[] = [];
    const origin = createServer((req, res) => {
      seen.push(req.url ?? "");
      res.writeHead(307, { Location: `${elsewhere}/users` });
      res.end();
    });
    await new Promise<void>((resolve) => origin.listen(0, "127.0.0.1", resolve));
    try {
      const baseUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}/v1`;
      const error = await client(baseUrl)
        .users.create({ user: { name: "A", last_name: "B", email_address: "a@example.com" } })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RedirectError);
      expect(seen).toEqual(["/v1/users"]);
      done(`QuicklySign create (client_secret in the body), 307: ${(error as Error).name}`);
    } finally {
      origin.closeAllConnections();
      await new Promise<void>((resolve) => origin.close(() => resolve()));
    }
  });
});
