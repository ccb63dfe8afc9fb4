import { spawnSync } from "node:child_process";

/** Runs git in `root`; `ok` is false on a non-zero exit (an unknown ref, say). */
export function git(root: string, args: string[]): { ok: boolean; out: string } {
  const run = spawnSync("git", args, { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return { ok: run.status === 0, out: (run.stdout ?? "").trimEnd() };
}

export function commitOf(root: string, ref: string): string | undefined {
  const r = git(root, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  return r.ok && r.out ? r.out : undefined;
}

/** A file's content at `ref`, or undefined when it did not exist there. */
export function showFile(root: string, ref: string, relPath: string): string | undefined {
  const r = spawnSync("git", ["show", `${ref}:${relPath}`], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return r.status === 0 ? r.stdout : undefined;
}

/** File names directly inside `dir` at `ref`. */
export function listFilesAt(root: string, ref: string, dir: string): string[] {
  const r = git(root, ["ls-tree", "--name-only", `${ref}:${dir}`]);
  return r.ok && r.out ? r.out.split("\n") : [];
}

/** The newest tag reachable from HEAD matching `pattern` (git's glob), if any. */
export function lastTag(root: string, pattern = "*"): string | undefined {
  const r = git(root, ["describe", "--tags", "--abbrev=0", "--match", pattern, "HEAD"]);
  return r.ok && r.out ? r.out : undefined;
}
