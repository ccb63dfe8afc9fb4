import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type BuildOptions, build } from "esbuild";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import * as here from "../src/index.js";

/**
 * A project can hold two copies of this package: two provider packages from
 * different releases each bringing their own, or the ESM and the CommonJS build of
 * one loaded side by side. Each copy has its own error classes, so `instanceof`
 * against the other copy's class must not rely on the class objects.
 */

type Runtime = typeof here;
const entry = fileURLToPath(new URL("../src/index.ts", import.meta.url));
let dir: string;
let esm: Runtime;
let cjs: Runtime;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "esign-runtime-copies-"));
  // Two installed copies, as a bundler or npm would lay them out: one ESM, one CommonJS.
  const common: BuildOptions = { entryPoints: [entry], bundle: true, platform: "node", target: "es2022", logLevel: "silent" };
  await build({ ...common, format: "esm", outfile: join(dir, "a", "index.mjs") });
  await build({ ...common, format: "cjs", outfile: join(dir, "b", "index.cjs") });
  esm = (await import(pathToFileURL(join(dir, "a", "index.mjs")).href)) as Runtime;
  cjs = createRequire(import.meta.url)(join(dir, "b", "index.cjs")) as Runtime;
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("error classes across two copies of the runtime", () => {
  it("are different class objects", () => {
    expect(esm.RateLimitError).not.toBe(cjs.RateLimitError);
    expect(esm.EsignApiError).not.toBe(here.EsignApiError);
  });

  it("instanceof recognises an error of the other copy, by class and by every class above it", () => {
    const limited = new cjs.RateLimitError({ message: "slow down", status: 429, provider: "p" });
    expect(limited instanceof esm.RateLimitError).toBe(true);
    expect(limited instanceof esm.EsignApiError).toBe(true);
    expect(limited instanceof here.RateLimitError).toBe(true);
    expect(limited instanceof here.EsignApiError).toBe(true);

    const timeout = new esm.TimeoutError({ message: "timed out" });
    expect(timeout instanceof cjs.TimeoutError).toBe(true);
    expect(timeout instanceof cjs.ConnectionError).toBe(true);
    expect(timeout instanceof cjs.EsignApiError).toBe(true);

    expect(new cjs.ValidationError("bad", { field: "email" }) instanceof esm.ValidationError).toBe(true);
    expect(new cjs.RedirectError({ message: "no" }) instanceof esm.ConnectionError).toBe(true);
    expect(new cjs.BulkItemError({ provider: "p", index: 0 }) instanceof esm.EsignApiError).toBe(true);
    expect(new cjs.BulkItemError({ provider: "p", index: 0 }) instanceof esm.BulkItemError).toBe(true);
  });

  it("instanceof still says no to other classes and to look-alikes", () => {
    const limited = new cjs.RateLimitError({ message: "slow down", status: 429 });
    expect(limited instanceof esm.ServerError).toBe(false);
    expect(limited instanceof esm.ConnectionError).toBe(false);
    expect(new cjs.EsignApiError({ message: "base" }) instanceof esm.RateLimitError).toBe(false);
    expect(new Error("plain") instanceof esm.EsignApiError).toBe(false);
    const lookalike = Object.assign(new Error("x"), { name: "RateLimitError", status: 429 });
    expect(lookalike instanceof esm.RateLimitError).toBe(false);
    expect((null as unknown) instanceof esm.EsignApiError).toBe(false);
  });

  it("instanceof within one copy works as always, subclasses included", () => {
    class CustomError extends here.ServerError {}
    const custom = new CustomError({ message: "custom", status: 500 });
    expect(custom instanceof CustomError).toBe(true);
    expect(custom instanceof here.ServerError).toBe(true);
    expect(custom instanceof esm.ServerError).toBe(true);
    expect(new here.ServerError({ message: "s" }) instanceof CustomError).toBe(false);
  });

  it("instanceof still narrows the type, as a class check does", () => {
    const caught: unknown = new cjs.RateLimitError({ message: "slow down", status: 429 });
    if (!(caught instanceof here.RateLimitError)) throw new Error("not recognised");
    expectTypeOf(caught).toEqualTypeOf<here.RateLimitError>();
    expectTypeOf(caught.retryAfterMs).toEqualTypeOf<number | undefined>();
    const other: unknown = new cjs.ValidationError("bad", { field: "email" });
    if (other instanceof here.ValidationError) expect(other.field).toBe("email");
    else throw new Error("not recognised");
  });

  it("an error of one copy is recognised by the other and serialises without its brand", () => {
    const error = new cjs.NotFoundError({ message: "gone", status: 404 });
    expect(error instanceof esm.NotFoundError).toBe(true);
    expect(JSON.parse(JSON.stringify(error))).not.toHaveProperty("kinds");
  });
});
