import type { TestContext } from "vitest";

/**
 * What RELIABILITY.md's security table shows for a test: the attack it tries
 * (an id the report script describes), the HTTP path it ran on, and what
 * happened, as the test observed it. Kept in the test's `meta`, which vitest's
 * JSON report carries; `npm run reliability:report` reads it from there.
 */
export interface AttackReport {
  attack: string;
  /** `node`, `fetch`, `global-fetch`, or `none` for tests that send nothing over HTTP. */
  path: string;
  result: string;
}

declare module "vitest" {
  interface TaskMeta {
    attack?: AttackReport;
  }
}

/** The path a test runs on, from its vitest project (see packages/runtime/vitest.config.ts). */
export function currentPath(): string {
  const transport = process.env.ESIGN_TEST_TRANSPORT;
  return transport === "fetch" || transport === "global-fetch" ? transport : "node";
}

/**
 * Marks the test as trying `attack` (on the current path unless told); call the
 * returned function with what happened. A test that fails before that shows as
 * failed, with no result.
 */
export function attack(context: TestContext, id: string, path: string = currentPath()): (result: string) => void {
  const report: AttackReport = { attack: id, path, result: "" };
  context.task.meta.attack = report;
  return (result) => {
    report.result = result;
  };
}
