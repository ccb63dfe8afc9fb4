import { afterEach } from "vitest";
import { scriptedServer } from "./helpers.js";

/**
 * `server(...script)` for one test file: starts a scripted server, and closes every
 * server it started after each test. (Apart from helpers.ts, which child processes
 * import outside vitest.)
 */
export function serversPerTest(): typeof scriptedServer {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  return async (...script) => {
    const s = await scriptedServer(...script);
    open.push(s);
    return s;
  };
}
