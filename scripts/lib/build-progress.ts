import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { run } from "./processes.ts";

/**
 * `turbo run build` with progress a person can follow: how many packages need
 * building, each as it starts (n of m), how long it took last time, and a line now
 * and then while a long one runs. Durations are kept from turbo's run summaries.
 */

/**
 * Said before a first build, when there is no history yet. Measured on the 2-core
 * machine this repository is developed on (`turbo run build --force`): 35 s idle,
 * 97 s under a load average of 15.
 */
export const FIRST_BUILD_ESTIMATE = "a first build usually takes 35 s to 2 min on 2 cores, depending on what else runs";

interface DryTask {
  taskId: string;
  command: string;
  cache: { status: string };
}

interface History {
  /** taskId → ms the last time it ran. */
  tasks: Record<string, number>;
  /** ms of the last build that had to build something. */
  total?: number;
}

const seconds = (ms: number) => `${Math.max(1, Math.round(ms / 1000))} s`;

function turboEnv(): NodeJS.ProcessEnv {
  return { ...process.env, TURBO_TELEMETRY_DISABLED: "1", NO_COLOR: "1", FORCE_COLOR: "0" };
}

function readHistory(file: string): History {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as History;
  } catch {
    return { tasks: {} };
  }
}

/** What the last build's summary says each task took. */
function learn(summaryFile: string, history: History, totalMs: number): History {
  const summary = JSON.parse(readFileSync(summaryFile, "utf8")) as {
    tasks: { taskId: string; cache: { status: string }; execution?: { startTime: number; endTime: number } }[];
  };
  const tasks = { ...history.tasks };
  for (const t of summary.tasks) {
    if (t.cache.status === "MISS" && t.execution) tasks[t.taskId] = t.execution.endTime - t.execution.startTime;
  }
  return { tasks, total: totalMs };
}

export interface BuildOptions {
  root: string;
  /** Where durations are remembered between runs. */
  historyFile?: string;
  log?: (line: string) => void;
  /** How often to say it is still working, in ms. */
  heartbeatMs?: number;
}

/** Builds every package; resolves to true when the build passed. */
export async function buildWithProgress(options: BuildOptions): Promise<boolean> {
  const { root } = options;
  const log = options.log ?? ((line: string) => console.log(line));
  const historyFile = options.historyFile ?? join(root, "node_modules", ".cache", "esign-users", "build-times.json");
  const history = readHistory(historyFile);
  const turbo = join(root, "node_modules", "turbo", "bin", "turbo");

  const dry = await run(process.execPath, [turbo, "run", "build", "--dry=json"], { cwd: root, env: turboEnv(), timeoutMs: 120_000 });
  const tasks = dry.ok ? (JSON.parse(dry.stdout.slice(dry.stdout.indexOf("{"))) as { tasks: DryTask[] }).tasks : [];
  const real = tasks.filter((t) => t.command !== "<NONEXISTENT>");
  const todo = real.filter((t) => t.cache.status !== "HIT");
  if (dry.ok && todo.length === 0) {
    log(`  all ${real.length} build steps are cached`);
    return true;
  }
  const expected = history.total ? `it took ${seconds(history.total)} last time` : FIRST_BUILD_ESTIMATE;
  log(`  ${todo.length} of ${real.length} build steps to run (${real.length - todo.length} cached); ${expected}`);

  const started = performance.now();
  let begun = 0;
  let summaryFile: string | undefined;
  const output: string[] = [];
  const child = spawn(process.execPath, [turbo, "run", "build", "--output-logs=hash-only", "--summarize"], {
    cwd: root,
    env: turboEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const heartbeat = setInterval(
    () => log(`  … still building, ${seconds(performance.now() - started)} so far`),
    options.heartbeatMs ?? 20_000,
  );
  const lines = createInterface({ input: child.stdout });
  lines.on("line", (line) => {
    output.push(line);
    const starting = /^(\S+):(\S+): cache (?:miss|bypass)/.exec(line);
    if (starting) {
      begun++;
      const [, pkg = "", task = ""] = starting;
      const last = history.tasks[`${pkg}#${task}`];
      const what = pkg === "//" ? `${task} (repository root)` : `${task} ${pkg}`;
      log(`  [${begun}/${todo.length}] ${what}${last ? ` (took ${seconds(last)} last time)` : ""}`);
    }
    const summary = /^\s*Summary:\s+(\S+\.json)/.exec(line);
    if (summary) summaryFile = summary[1];
  });
  child.stderr.on("data", (c: Buffer) => output.push(c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  clearInterval(heartbeat);
  const totalMs = performance.now() - started;
  if (code !== 0) {
    log(output.join("\n"));
    return false;
  }
  if (summaryFile && existsSync(summaryFile)) {
    mkdirSync(dirname(historyFile), { recursive: true });
    writeFileSync(historyFile, `${JSON.stringify(learn(summaryFile, history, totalMs), null, 2)}\n`);
  }
  log(`  built in ${seconds(totalMs)}`);
  return true;
}
