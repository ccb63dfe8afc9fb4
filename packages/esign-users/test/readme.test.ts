import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DirectoryOptions } from "../src/index.js";
import { setups } from "./setups.js";

// The README's "ten lines" example, taken from the README itself so the two cannot drift.
const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const example = /## Ten lines that work for any provider\s+```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";

let dir: string;
let onboard: (options: DirectoryOptions, email: string) => Promise<{ created: number; existing: number }>;

beforeAll(async () => {
  dir = mkdtempSync(join(import.meta.dirname, ".readme-"));
  const file = join(dir, "example.ts");
  writeFileSync(file, example);
  ({ onboard } = await import(file));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the README example", () => {
  it("is ten lines", () => {
    expect(example.trim().split("\n")).toHaveLength(10);
  });

  it.each(setups)("runs unchanged on $label", async (setup) => {
    const { options, close } = await setup.start();
    try {
      const result = await onboard(options, `readme.${Date.now()}@example.com`);
      expect(result).toMatchObject({ created: 1, existing: 0 });
    } finally {
      await close();
    }
  });
});
