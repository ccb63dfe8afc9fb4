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

/**
 * What a package's API reference page shows from its README: the introduction (the
 * text between the title and the first `##` section) and every section with a
 * TypeScript example, in order; install commands and the licence are left out.
 */
export function readmeGuide(readme: string): string {
  const sections: { heading: string; body: string[] }[] = [{ heading: "", body: [] }];
  let fenced = false;
  for (const line of readme.replace(/<!-- runnable -->\r?\n/g, "").split("\n")) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    if (!fenced && /^#\s/.test(line)) continue; // the title: the page has its own
    if (!fenced && /^##\s/.test(line)) sections.push({ heading: line, body: [] });
    else sections.at(-1)?.body.push(line);
  }
  const [intro, ...rest] = sections;
  const introduction = (intro?.body ?? []).join("\n").replace(/```sh\n[\s\S]*?```\n?/g, "").trim();
  const examples = rest.filter((s) => s.body.some((l) => /^```(ts|typescript|js)\b/.test(l.trim())));
  return [introduction, ...examples.map((s) => [s.heading, ...s.body].join("\n").trim())].filter(Boolean).join("\n\n");
}
