/**
 * `npm run bench`: our DocuSign and BoldSign clients against the official SDKs (Dropbox Sign's too, for
 * cold start and footprint), and
 * the generation pipeline, on this machine, in one run; writes bench/RESULTS.md.
 * Exits non-zero when a measurement could not be made (not when a target is missed).
 *
 *   npm run bench                           everything (a few minutes)
 *   npm run bench -- --quick                fewer runs, for trying the bench itself
 *   npm run bench -- requests memory        only the named measurements
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { measureBundle } from "./src/measure/bundle.ts";
import { measureFirstCall } from "./src/measure/first-call.ts";
import { measureColdStart } from "./src/measure/cold-start.ts";
import { measureFootprint } from "./src/measure/footprint.ts";
import { measureGeneration } from "./src/measure/generation.ts";
import { measureMemory } from "./src/measure/memory.ts";
import { measureRequests } from "./src/measure/requests.ts";
import { parseCommand, usageError } from "../scripts/lib/cli.ts";
import { stopAllOnSignals } from "../scripts/lib/processes.ts";
import { compileChildren } from "./src/lib/compile.ts";
import { describeMachine, versions } from "./src/lib/machine.ts";
import { benchDir, workDir } from "./src/lib/paths.ts";
import { emptyOutcome, type Outcome } from "./src/lib/report.ts";
import { renderResults } from "./src/lib/results.ts";
import { SandboxHost } from "./src/lib/sandbox.ts";

const MEASUREMENTS = ["generation", "footprint", "coldstart", "firstcall", "bundle", "requests", "memory"] as const;
type Measurement = (typeof MEASUREMENTS)[number];

const COMMAND = "npm run bench --";
const { values, positionals: named } = parseCommand({
  command: COMMAND,
  summary:
    "Measures our DocuSign and BoldSign clients (and, for cold start and footprint, Dropbox Sign's) against the\n" +
    "official SDKs, and the generation pipeline, on this machine, and writes bench/RESULTS.md (a full run\n" +
    "takes several minutes; a partial one goes to bench/.work/).",
  positionals: `[${MEASUREMENTS.join("|")} ...]`,
  options: { quick: { type: "boolean", description: "fewer runs, for trying the bench itself" } },
  examples: ["npm run bench -- --quick requests memory"],
});
const unknown = named.filter((n) => !(MEASUREMENTS as readonly string[]).includes(n));
if (unknown.length > 0) usageError(COMMAND, `no measurement named ${unknown.join(", ")}; have ${MEASUREMENTS.join(", ")}`);
const quick = values.quick;
stopAllOnSignals();
const selected = new Set<Measurement>(named.length > 0 ? (named as Measurement[]) : MEASUREMENTS);

const settings = quick
  ? {
      generationRuns: 2,
      coldStartIterations: 3,
      requests: { perRound: 100, rounds: 2, warmup: 50, concurrency: 8 },
      memory: { requests: 1_000, chunk: 500, runs: 1, concurrency: 8 },
    }
  : {
      generationRuns: 5,
      // A load of a few ms against process starts that vary by tens: fewer rounds let one
      // unlucky run move the median by a third.
      coldStartIterations: 51,
      // Five rounds left DocuSign's create ratio anywhere between 1.13× and 1.78× from one
      // run of the same code to the next; the median of nine moves less.
      requests: { perRound: 400, rounds: 9, warmup: 200, concurrency: 8 },
      memory: { requests: 10_000, chunk: 2_500, runs: 2, concurrency: 8 },
    };

const started = performance.now();
const machine = describeMachine();
const outcome: Outcome = emptyOutcome();

async function step(name: Measurement, work: () => Promise<void>): Promise<void> {
  if (!selected.has(name)) return;
  const t0 = performance.now();
  console.log(`bench: ${name}…`);
  try {
    await work();
    console.log(`bench: ${name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    console.error(`bench: ${name} failed: ${message}`);
    outcome.failures.push(`${name}: ${message}`);
  }
}

// Generation first: its cached-build step also leaves every package's dist/ up to date.
await step("generation", () => measureGeneration(outcome, settings.generationRuns));
await step("footprint", () => measureFootprint(outcome));
await step("coldstart", () => measureColdStart(outcome, settings.coldStartIterations));

if (["firstcall", "bundle", "requests", "memory"].some((m) => selected.has(m as Measurement))) {
  let host: SandboxHost | undefined;
  try {
    const scripts = await compileChildren();
    host = await SandboxHost.start(scripts.sandboxHost, 1_800_000);
    const running = host;
    await step("firstcall", () => measureFirstCall(outcome, running, settings.coldStartIterations));
    await step("bundle", () => measureBundle(outcome, running));
    await step("requests", () => measureRequests(outcome, running, scripts.client, settings.requests));
    await step("memory", () => measureMemory(outcome, running, scripts.client, settings.memory));
  } catch (e) {
    outcome.failures.push(`sandbox: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    await host?.stop();
  }
}

const seconds = (performance.now() - started) / 1000;
// Only a complete run replaces RESULTS.md; a quick or partial one goes to the scratch folder.
const complete = !quick && named.length === 0;
const file = complete ? join(benchDir, "RESULTS.md") : join(workDir, "RESULTS.partial.md");
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, renderResults(outcome, machine, versions(), loadavg()[0] ?? 0, seconds));
console.log(`bench: wrote ${file} in ${seconds.toFixed(0)} s`);
for (const row of outcome.rows.filter((r) => r.target && !r.target.met)) {
  console.log(`bench: target missed: ${row.measure}, ${row.subject} (${row.target?.text})`);
}
for (const row of outcome.solo.filter((r) => !r.target.met))
  console.log(`bench: target missed: ${row.measure} (${row.target.text})`);
if (outcome.failures.length > 0) {
  console.error(`bench: ${outcome.failures.length} measurement(s) failed`);
  process.exitCode = 1;
}
