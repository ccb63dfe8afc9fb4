import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Sandbox, startSandbox } from "@esign-users/sandbox";
import { type BrowserContext, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUserDirectory } from "../src/index.js";
import { bundlePage } from "./browser/bundle.js";
import { type FoundChromium, findChromium } from "./browser/chromium.js";

const artifacts = fileURLToPath(new URL("../../../artifacts/", import.meta.url));
const html = readFileSync(new URL("./browser/index.html", import.meta.url), "utf8");

/** Serves the page and its bundle from another origin than the sandbox's, as a real app would be. */
async function servePage(bundle: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/") res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(html);
    else if (path === "/page.js") res.writeHead(200, { "Content-Type": "text/javascript" }).end(bundle);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe("the facade in a real browser", () => {
  let sb: Sandbox<{ apiKey: string }>;
  let page: { server: Server; origin: string };
  let browser: BrowserContext;
  let profile: string;
  let inputs: string[];
  let found: FoundChromium;

  beforeAll(async () => {
    found = await findChromium();
    const bundled = await bundlePage();
    inputs = bundled.inputs;
    sb = await startSandbox({ provider: "signable" });
    const seed = createUserDirectory({ provider: "signable", apiKey: sb.credentials.apiKey, baseUrl: sb.url });
    await seed.create({ email: "ada@example.com", firstName: "Ada", lastName: "Lovelace" });
    await seed.create({ email: "grace@example.com", firstName: "Grace", lastName: "Hopper" });
    sb.requests.length = 0;
    page = await servePage(bundled.code);
    profile = mkdtempSync(join(tmpdir(), "esign-chromium-"));
    // A fresh profile each run: nothing cached from an earlier page.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: found.executablePath,
      headless: true,
      viewport: { width: 720, height: 360 },
      // Without the networking flags Chromium keeps calling home, which this closed network refuses.
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => page?.server.close(resolve));
    await sb?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it("bundles without Node.js built-ins", () => {
    expect(inputs.some((i) => i.includes("packages/esign-users/src/index.ts"))).toBe(true);
    expect(inputs.some((i) => i.includes("packages/signable/src/client.ts"))).toBe(true);
    expect(inputs.filter((i) => /^node:|(^|\/)(fs|net|http|https|child_process)$/.test(i))).toEqual([]);
  });

  it("lists the sandbox's users on the page, across origins", async () => {
    const tab = await browser.newPage();
    const errors: string[] = [];
    tab.on("pageerror", (e) => errors.push(e.message));
    const query = new URLSearchParams({ apiKey: sb.credentials.apiKey, baseUrl: sb.url });
    await tab.goto(`${page.origin}/?${query}`);
    await tab.waitForSelector("body[data-state=done]", { timeout: 20_000 });

    expect(errors).toEqual([]);
    expect(await tab.textContent("#status")).toBe("2 users from signable");
    expect(await tab.locator("#users li").allTextContents()).toEqual([
      "Ada Lovelace <ada@example.com> active",
      "Grace Hopper <grace@example.com> active",
    ]);

    mkdirSync(artifacts, { recursive: true });
    await tab.screenshot({ path: join(artifacts, "browser-list.png") });

    // The browser asked first (Authorization makes the request non-simple), then listed with the key.
    const preflight = sb.requests.find((r) => r.method === "OPTIONS");
    expect(preflight?.headers.origin).toBe(page.origin);
    expect(preflight?.headers["access-control-request-headers"]).toContain("authorization");
    const listed = sb.requests.find((r) => r.method === "GET" && r.path === "/v1/users");
    expect(listed?.headers.origin).toBe(page.origin);
    expect(listed?.headers.authorization).toBe(`Basic ${btoa(`${sb.credentials.apiKey}:x`)}`);
  }, 60_000);

  it("shows the provider's refusal when the key is wrong", async () => {
    const tab = await browser.newPage();
    const query = new URLSearchParams({ apiKey: "wrong-key", baseUrl: sb.url });
    await tab.goto(`${page.origin}/?${query}`);
    await tab.waitForSelector("body[data-state=done]", { timeout: 20_000 });
    expect(await tab.textContent("#status")).toMatch(/^failed: AuthenticationError 401/);
    expect(await tab.locator("#users li").count()).toBe(0);
    // The message shown comes from the error; the key it was given must not be in it.
    expect(await tab.textContent("body")).not.toContain("wrong-key");
  }, 60_000);
});

describe("which Chromium the browser test drives", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "esign-path-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("with none on PATH and no CHROMIUM_PATH, the one inside @sparticuz/chromium", async () => {
    const found = await findChromium({ PATH: dir });
    expect(found.source).toBe("@sparticuz/chromium");
    expect(existsSync(found.executablePath)).toBe(true);
  }, 60_000);

  it("a Chromium on PATH comes before it, and CHROMIUM_PATH before both", async () => {
    const fake = join(dir, "chromium");
    writeFileSync(fake, "#!/bin/sh\n");
    chmodSync(fake, 0o755);
    expect(await findChromium({ PATH: dir })).toEqual({ executablePath: fake, source: "PATH" });
    expect(await findChromium({ PATH: dir, CHROMIUM_PATH: "/bin/sh" })).toEqual({ executablePath: "/bin/sh", source: "CHROMIUM_PATH" });
    await expect(findChromium({ PATH: dir, CHROMIUM_PATH: join(dir, "nope") })).rejects.toThrow(/does not exist; unset it/);
  });
});
