import { describe, expect, it } from "vitest";
import { BOLDSIGN_BASE_URLS, type BoldSignRegion, createBoldSignClient, ValidationError } from "../src/index.js";

/**
 * Unit level, no network: `fetch` records the URL the client would call and
 * answers like BoldSign would, so no request ever leaves the process.
 */
function recordingClient(options: { region?: BoldSignRegion; baseUrl?: string }) {
  const urls: string[] = [];
  const client = createBoldSignClient({
    apiKey: "region-test-key",
    ...options,
    fetch: async (request) => {
      urls.push(request.url);
      return new Response(JSON.stringify({ pageDetails: { page: 1, pageSize: 10 }, result: [] }), {
        status: 200,
        headers: { "Content-Type": "application/json" },
      });
    },
  });
  return { client, urls };
}

describe("regions", () => {
  it.each([
    ["us", "https://api.boldsign.com"],
    ["eu", "https://api-eu.boldsign.com"],
    ["ca", "https://api-ca.boldsign.com"],
    ["au", "https://api-au.boldsign.com"],
  ] as const)("region %s calls %s", async (region, host) => {
    const { client, urls } = recordingClient({ region });
    await client.users.listPage({ Page: 1 });
    expect(urls).toEqual([`${host}/v1/users/list?Page=1`]);
    expect(BOLDSIGN_BASE_URLS[region]).toBe(host);
  });

  it("defaults to the US data centre", async () => {
    const { client, urls } = recordingClient({});
    await client.users.listPage({ Page: 1 });
    expect(urls).toEqual(["https://api.boldsign.com/v1/users/list?Page=1"]);
  });

  it("lets baseUrl override the region", async () => {
    const { client, urls } = recordingClient({ region: "eu", baseUrl: "https://proxy.example.com" });
    await client.users.listPage({ Page: 1 });
    expect(urls).toEqual(["https://proxy.example.com/v1/users/list?Page=1"]);
  });

  it("refuses an unknown region at construction", () => {
    // @ts-expect-error "uk" is not a BoldSign region
    expect(() => recordingClient({ region: "uk" })).toThrow(ValidationError);
    expect(() => recordingClient({ region: "toString" as BoldSignRegion })).toThrow(
      expect.objectContaining({ field: "region" }),
    );
  });
});
