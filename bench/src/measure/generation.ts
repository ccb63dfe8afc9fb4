import { join } from "node:path";
import { runOk } from "../../../scripts/lib/processes.ts";
import { ms, spread } from "../lib/format.ts";
import { childEnv } from "../lib/pairs.ts";
import { repoRoot } from "../lib/paths.ts";
import type { Outcome } from "../lib/report.ts";
import { summarize } from "../lib/stats.ts";

const generate = ["--import", "tsx/esm", join(repoRoot, "scripts", "generate.ts")];
const turbo = join(repoRoot, "node_modules", ".bin", "turbo");
const turboEnv = () => childEnv({ TURBO_TELEMETRY_DISABLED: "1", TURBO_NO_UPDATE_NOTIFIER: "1" });

/**
 * The generation pipeline, timed from spawn to exit of the commands `npm run
 * generate` and `npm run build` run underneath (without npm's own start-up):
 * `node --import tsx/esm scripts/generate.ts --all`, the same without `--all` right
 * after it (nothing to regenerate), and `turbo run build` with every task cached.
 */
export async function measureGeneration(outcome: Outcome, runs: number): Promise<void> {
  const full: number[] = [];
  const noop: number[] = [];
  for (let i = 0; i < runs; i++) {
    const all = await runOk(process.execPath, [...generate, "--all"], { cwd: repoRoot, env: childEnv() });
    const specs = (all.stdout.match(/^✓ /gm) ?? []).length;
    if (specs === 0) throw new Error(`generate --all regenerated nothing:\n${all.stdout}${all.stderr}`);
    full.push(all.ms);
    const none = await runOk(process.execPath, generate, { cwd: repoRoot, env: childEnv() });
    if (!/nothing to do/.test(none.stdout)) throw new Error(`generate was not a no-op:\n${none.stdout}`);
    noop.push(none.ms);
  }

  // Warm the cache: the first build after a change really builds (and can take a minute).
  await runOk(turbo, ["run", "build"], { cwd: repoRoot, env: turboEnv(), timeoutMs: 600_000 });
  const cached: number[] = [];
  for (let i = 0; i < runs; i++) {
    const build = await runOk(turbo, ["run", "build"], { cwd: repoRoot, env: turboEnv(), timeoutMs: 600_000 });
    const counts = /Cached:\s+(\d+) cached, (\d+) total/.exec(build.stdout);
    if (!counts || counts[1] !== counts[2]) {
      throw new Error(`turbo run build was not fully cached (someone changed an input?):\n${build.stdout.slice(-800)}`);
    }
    cached.push(build.ms);
  }

  const rows = [
    { measure: "Full regeneration of every spec", samples: full, limit: 3000 },
    { measure: "No-op regeneration", samples: noop, limit: 500 },
    { measure: "Cached `turbo run build`", samples: cached, limit: 2000 },
  ];
  for (const { measure, samples, limit } of rows) {
    const s = summarize(samples);
    outcome.solo.push({ measure, value: ms(s.median), target: { text: `≤ ${ms(limit)}`, met: s.median <= limit } });
  }
  outcome.sections.push({
    title: "Generation",
    body: [
      `${runs} runs each, timed from spawn to exit of the command under the npm script (npm's own start-up excluded), from the repository's root:`,
      "",
      `- full: \`node --import tsx/esm scripts/generate.ts --all\` — ${spread(summarize(full), ms)}`,
      `- no-op: \`node --import tsx/esm scripts/generate.ts\`, right after a full run — ${spread(summarize(noop), ms)}`,
      `- cached build: \`turbo run build\` after one untimed warm-up build, every task a cache hit — ${spread(
        summarize(cached),
        ms,
      )}`,
      "",
      "About 0.3 s of every generate run is Node starting with the tsx loader (`node --import tsx/esm -e 0`), before any of our code runs.",
    ].join("\n"),
  });
}
