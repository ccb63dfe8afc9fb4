import { rmSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { benchDir, workDir } from "./paths.ts";

export const childrenDir = join(workDir, "children");

/**
 * Compiles the child scripts to plain JavaScript in bench/.work/children, with every
 * package left as an import (so each client is loaded from node_modules exactly as a
 * user's program would load it), and each client's adapter in its own chunk (so a
 * child loads only the client it measures). The children then run on bare `node`:
 * no TypeScript loader in their memory or start-up.
 */
export async function compileChildren(): Promise<{ client: string; sandboxHost: string }> {
  rmSync(childrenDir, { recursive: true, force: true });
  await build({
    entryPoints: {
      client: join(benchDir, "src", "children", "client.ts"),
      "sandbox-host": join(benchDir, "src", "children", "sandbox-host.ts"),
    },
    outdir: childrenDir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
  return { client: join(childrenDir, "client.mjs"), sandboxHost: join(childrenDir, "sandbox-host.mjs") };
}
