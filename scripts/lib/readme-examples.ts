import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { WorkspacePackage } from "./workspace.ts";

export interface ReadmeExample {
  pkg: WorkspacePackage;
  /** 1-based line of the code fence in README.md, for messages. */
  line: number;
  code: string;
}

// Only blocks marked `<!-- runnable -->` run: the others show calls to real
// providers, which need accounts and a network.
const RUNNABLE = /<!-- runnable -->\r?\n```ts\r?\n([\s\S]*?)```/g;

/** The runnable TypeScript examples of a package's README, in order. */
export function readmeExamples(pkg: WorkspacePackage): ReadmeExample[] {
  const file = join(pkg.dir, "README.md");
  if (!existsSync(file)) return [];
  const readme = readFileSync(file, "utf8");
  return [...readme.matchAll(RUNNABLE)].map((m) => ({
    pkg,
    line: readme.slice(0, m.index).split("\n").length + 1,
    code: m[1] as string,
  }));
}
