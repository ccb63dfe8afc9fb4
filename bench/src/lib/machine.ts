import { execFileSync } from "node:child_process";
import { cpus, totalmem, type as osType, release, loadavg } from "node:os";
import { readFileSync } from "node:fs";
import { packageVersion } from "./paths.ts";

export interface Machine {
  cpu: string;
  cores: number;
  memory: string;
  os: string;
  node: string;
  npm: string;
  /** 1-minute load average when the run started and ended: other work on the machine skews timings. */
  loadAtStart: number;
}

function osName(): string {
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(readFileSync("/etc/os-release", "utf8"))?.[1];
    if (pretty) return `${pretty} (${osType()} ${release()})`;
  } catch {
    // Not Linux, or no os-release: the kernel name is enough.
  }
  return `${osType()} ${release()}`;
}

function npmVersion(): string {
  try {
    return execFileSync("npm", ["--version"], { encoding: "utf8", timeout: 30_000 }).trim();
  } catch {
    return "unknown";
  }
}

export function describeMachine(): Machine {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? "unknown",
    cores: list.length,
    memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    os: osName(),
    node: process.version,
    npm: npmVersion(),
    loadAtStart: loadavg()[0] ?? 0,
  };
}

/** Every package whose figures appear in RESULTS.md, plus the tools that produced them. */
export const MEASURED_PACKAGES = [
  "@esign-users/docusign",
  "@esign-users/boldsign",
  "@esign-users/runtime",
  "@esign-users/sandbox",
  "openapi-fetch",
  "docusign-esign",
  "boldsign",
  "axios",
  "esbuild",
  "openapi-typescript",
  "@redocly/openapi-core",
  "typescript",
  "tsx",
  "turbo",
] as const;

export function versions(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of MEASURED_PACKAGES) {
    try {
      out[name] = packageVersion(name);
    } catch {
      out[name] = "not installed";
    }
  }
  return out;
}
