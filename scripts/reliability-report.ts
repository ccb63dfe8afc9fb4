/**
 * Writes RELIABILITY.md from what the reliability tests measured:
 * artifacts/fault-matrix.json (packages/esign-users/test/fault-matrix.test.ts), the
 * fuzzing figures of packages/esign-users/test/fuzz.test.ts (from `npm run fuzz`,
 * artifacts/fuzz.json, or from the JSON report of the last `npm test`, whichever is
 * newer), and the security tests' own reports, which vitest's JSON report of each
 * package carries in the tests' `meta` (packages/runtime/test/attacks.ts).
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseCommand } from "./lib/cli.ts";
import { repoRoot } from "./lib/specs.ts";

const { values } = parseCommand({
  command: "npm run reliability:report --",
  summary:
    "Writes RELIABILITY.md from artifacts/fault-matrix.json and the fuzzing figures of the last `npm test`\n" +
    "(packages/esign-users/test-results.json) or `npm run fuzz` (artifacts/fuzz.json), whichever is newer.",
  options: {
    // Another checkout: the tests use a temporary folder.
    root: { type: "string", description: "the repository to work on", hidden: true },
  },
});
const root = values.root ? resolve(values.root) : repoRoot;

interface Cell {
  provider: string;
  fault: string;
  op: string;
  mode: "once" | "always" | "after";
  outcome: string;
  ms: number;
}

interface Fuzz {
  runsPerProvider: number;
  providers: Record<string, { runs: number; commands: number; seconds: number }>;
}

const artifacts = join(root, "artifacts");
const read = <T>(name: string): T => {
  const file = join(artifacts, name);
  if (!existsSync(file)) {
    console.error(`reliability:report: ${file} is missing; run the esign-users tests first`);
    process.exit(1);
  }
  return JSON.parse(readFileSync(file, "utf8")) as T;
};

const cells = read<Cell[]>("fault-matrix.json");

/** A package's vitest JSON report; the tests' `meta` carries what they measured (fuzzing figures, attacks). */
interface VitestReport {
  testResults: {
    name: string;
    assertionResults: {
      fullName: string;
      status: string;
      meta?: {
        fuzz?: { provider: string; runs: number; commands: number; seconds: number };
        attack?: { attack: string; path: string; result: string };
      };
    }[];
  }[];
}

const reports = new Map<string, VitestReport | undefined>();

/** Where a package's last test run left its vitest JSON report. */
const testReportFile = (pkg: string) => join(root, "packages", pkg, "test-results.json");

/** The report of a package's last test run, read once; undefined when it has none. */
function testReport(pkg: string): VitestReport | undefined {
  if (!reports.has(pkg)) {
    const file = testReportFile(pkg);
    reports.set(pkg, existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as VitestReport) : undefined);
  }
  return reports.get(pkg);
}

/** The fuzzing figures each test of fuzz.test.ts records in its `meta`. */
function fuzzFromTestReport(report: VitestReport | undefined): Fuzz | undefined {
  if (!report) return undefined;
  const figures = report.testResults
    .filter((r) => r.name.endsWith("fuzz.test.ts"))
    .flatMap((r) => r.assertionResults.flatMap((a) => (a.meta?.fuzz ? [a.meta.fuzz] : [])));
  if (figures.length === 0) return undefined;
  return {
    runsPerProvider: figures[0]?.runs ?? 0,
    providers: Object.fromEntries(figures.map(({ provider, ...f }) => [provider, f])),
  };
}

function latestFuzz(): Fuzz {
  const long = join(artifacts, "fuzz.json");
  const mtime = (f: string) => (existsSync(f) ? statSync(f).mtimeMs : -1);
  const fromTests = mtime(testReportFile("esign-users")) > mtime(long) ? fuzzFromTestReport(testReport("esign-users")) : undefined;
  return fromTests ?? read<Fuzz>("fuzz.json");
}
const fuzz = latestFuzz();

// ---- the security table: every attack of the review (issue 15), on every HTTP path ----

/** What each attack tries, in the order of the review's findings. The results come from the tests. */
const ATTACKS: [id: string, what: string][] = [
  ["redirect-cross-origin-headers", "a redirect to another origin: do credential headers follow (Authorization, X-API-KEY, access_token, the client's own)?"],
  ["redirect-https-to-http", "a redirect from https to http of a request carrying credentials"],
  ["redirect-307-credentials", "a cross-origin 307/308 of a request carrying credentials in a header or in its body"],
  ["redirect-loop", "a server redirecting forever"],
  ["truncation-before-redaction", "a secret straddling the cut of a message (160 chars) or of ResponseFormatError.body (1000)"],
  ["inspect-cause", "util.inspect() of an error whose cause (the JSON parser's message) quotes the body"],
  ["redaction-keys", "a secret as an object key of an error body"],
  ["redaction-depth", "a secret nested more than 32 levels deep in an error body"],
  ["proto-key", "a `__proto__` key in an error body"],
  ["gzip-bomb", "a 130 KB gzip answer that inflates to 128 MiB (maxResponseBytes 1 MiB)"],
  ["credential-wait", "a credential (token) request that hangs, with the caller's signal or a per-call timeoutMs"],
  ["createmany-list-fails", "createMany whose first list of existing users fails"],
  ["createmany-lost-answer", "createMany on QuicklySign when a create's answer is lost after the user was made"],
  ["secret-in-malformed-answer", "a malformed 2xx answer carrying a new secret (QuicklySign create, access token)"],
  ["raw-echo", "`raw` given an error body that echoes the credential"],
  ["hook-throws", "an onRequest hook that throws"],
  ["rotating-credentials", "a token function returning a new token on every call, at debug level"],
  ["retry-after-long", "Retry-After: 600 on a 429"],
  ["header-name-injection", "header names with CR/LF, spaces or colons"],
  ["timeout-overflow", "timeoutMs above 2^31 - 1 ms"],
  ["limiter-aborts", "rate-limited callers that abort while queued"],
  ["shared-signal-listeners", "one AbortSignal shared by many queued calls"],
  ["sandbox-flood", "unauthenticated 4 MiB POSTs to the sandbox, and a flood of authenticated ones"],
  ["sandbox-cors", "a web page on another site calling the sandbox"],
  ["sandbox-abort-mid-body", "a client closing its connection to the sandbox mid-body"],
  ["dns", "a host name that does not resolve"],
];
const PATHS: [id: string, title: string][] = [
  ["node", "node:http"],
  ["fetch", "fetch given to the client"],
  ["global-fetch", "global fetch (Node 20.11–20.15, browsers)"],
  ["none", "no HTTP path (policy, limiter, sandbox)"],
];

interface AttackRun {
  attack: string;
  path: string;
  result: string;
  passed: boolean;
  test: string;
}

/** Every test of the last run that reported an attack, from each package's vitest JSON report. */
function attackRuns(): AttackRun[] {
  const runs: AttackRun[] = [];
  for (const pkg of readdirSync(join(root, "packages"))) {
    const report = testReport(pkg);
    if (!report) continue;
    for (const suite of report.testResults) {
      for (const test of suite.assertionResults) {
        const meta = test.meta?.attack;
        if (!meta) continue;
        runs.push({ ...meta, passed: test.status === "passed", test: `${pkg}: ${test.fullName}` });
      }
    }
  }
  return runs;
}

const runs = attackRuns();
const unknownAttacks = [...new Set(runs.map((r) => r.attack))].filter((id) => !ATTACKS.some(([known]) => known === id));
if (unknownAttacks.length > 0) {
  console.error(`reliability:report: tests report attacks this script does not describe: ${unknownAttacks.join(", ")}`);
  process.exit(1);
}
const securityCell = (attackId: string, path: string): string => {
  const here = runs.filter((r) => r.attack === attackId && r.path === path);
  if (here.length === 0) return "—";
  return here
    .map((r) => (r.passed ? `✓ ${r.result}` : `✗ FAILED (${r.test})`))
    .join("<br>")
    .replaceAll("|", "\\|");
};

const providers = [...new Set(cells.map((c) => c.provider))];
const faults = [...new Set(cells.map((c) => c.fault))];
const ops = [...new Set(cells.map((c) => c.op))];
const modes: Cell["mode"][] = ["once", "always", "after"];
const MODE_TEXT = {
  once: "the next matching request fails",
  always: "every matching request fails",
  after: "the next request is carried out, then its answer fails",
};

const cellText = (c: Cell | undefined) =>
  !c ? "—" : c.outcome.startsWith("n/a") ? c.outcome : `${c.outcome} (${Math.round(c.ms)} ms)`;

const lines: string[] = [
  "# Reliability",
  "",
  "What the reliability suite measured, written by `npm run reliability:report` from the",
  "artifacts of the last test run. Every figure below comes from a test in `npm test`",
  "that asserts it; nothing here is typed by hand.",
  "",
  "## Fault matrix",
  "",
  "Every provider (each against its sandbox on 127.0.0.1) × every fault × get, list",
  "interrupted after its first page, create and bulk create, through the `esign-users`",
  "facade with its default retry policy (2 retries) and `timeoutMs: 1000`, on a simulated clock: retry",
  "waits (backoff, `Retry-After`) cost no real time, and each cell's time is the simulated delay plus the",
  "real time of the requests; attempt timeouts run in real time, so a hang costs its `timeoutMs`.",
  `Modes: **once** — ${MODE_TEXT.once};`,
  `**always** — ${MODE_TEXT.always}; **after** (creates only) — ${MODE_TEXT.after}.`,
  "",
  "What every cell asserts: the call settles (no hang, no unhandled rejection); it succeeds",
  "after retries or throws the fault's typed error; no user exists twice afterwards; an",
  "interrupted list resumed from its `cursor` yields every user exactly once (`→ resumed`);",
  "a bulk create reports every item. A create is repeated only when the failure proves",
  "nothing was done (429, 503 with Retry-After, connection refused); other failures of a",
  "create surface as errors, and bulk creation checks the provider before trying again. A bulk",
  "item whose create may have happened and cannot be checked (QuicklySign cannot list users) is",
  "`unknown`, with advice, never `failed`.",
  "",
];

for (const provider of providers) {
  lines.push(`### ${provider}`, "");
  lines.push(`| fault | mode | ${ops.join(" | ")} |`, `| --- | --- | ${ops.map(() => "---").join(" | ")} |`);
  for (const fault of faults) {
    for (const mode of modes) {
      const row = ops.map((op) => cells.find((c) => c.provider === provider && c.fault === fault && c.op === op && c.mode === mode));
      if (row.every((c) => c === undefined)) continue;
      lines.push(`| ${fault} | ${mode} | ${row.map(cellText).join(" | ")} |`);
    }
  }
  lines.push("");
}

const total = cells.length;
const settled = cells.filter((c) => !c.outcome.startsWith("untyped")).length;
lines.push(
  `${total} cells, ${settled} settled with success or a typed error, ${total - settled} otherwise.`,
  "",
  "## Model-based fuzzing",
  "",
  "Random sequences of directory operations — create, invalid create, get, update,",
  "invalid update, remove, list, bulk create with invalid and repeated items — drawn by",
  "fast-check, run against each sandbox and compared after every step with an in-memory",
  "model of who should exist (with each provider's rules: DocuSign closes instead of",
  "deleting and judges duplicates on name and email, BoldSign cancels pending invitations,",
  "QuicklySign reaches only its own user). A refused input must send no request.",
  "",
  `| provider | sequences | commands | seconds |`,
  `| --- | --- | --- | --- |`,
  ...Object.entries(fuzz.providers).map(
    ([p, s]) => `| ${p} | ${s.runs} | ${s.commands} | ${s.seconds.toFixed(1)} |`,
  ),
  "",
  `\`npm test\` runs ${fuzz.runsPerProvider} sequences per provider; \`npm run fuzz\` runs more`,
  "(`--runs`, default 2,000; `--seed` replays a failure).",
  "",
  "## Security",
  "",
  "Each attack of the security review (issue 15), tried by a test on every HTTP path the",
  "client can take, with what the test saw. `✓`: the test passed, asserting the outcome",
  "shown; `✗`: it failed. Written from the tests' reports in each package's",
  "`test-results.json` (the runtime's suites run once per path: `packages/runtime/vitest.config.ts`).",
  "",
  `| attack | ${PATHS.map(([, title]) => title).join(" | ")} |`,
  `| --- | ${PATHS.map(() => "---").join(" | ")} |`,
  ...ATTACKS.map(([id, what]) => `| ${what} | ${PATHS.map(([path]) => securityCell(id, path)).join(" | ")} |`),
  "",
  `${runs.length} test runs reported, ${runs.filter((r) => r.passed).length} passed; ${
    ATTACKS.filter(([id]) => !runs.some((r) => r.attack === id)).length
  } attacks without a test run.`,
  "",
  "## Hostile input and secrets",
  "",
  "Tested in `packages/esign-users/test/hostile.test.ts` and `secrets.test.ts` on every provider:",
  "",
  "- ids containing `../`, `?`, `#`, `%`, spaces, tabs and unicode reach the provider as one",
  "  encoded value: same operation, same number of path segments, no added query parameter;",
  "  `.` and `..` as path segments are refused before sending;",
  "- CR/LF in credentials (values or functions) and in ids are refused with `ValidationError`",
  "  before anything is sent; oversize names and emails and control characters too;",
  "- a 50 MB answer is cut at `maxResponseBytes` (20 MiB by default) with `ResponseFormatError`,",
  "  and JSON nested 100,000 levels deep does not crash the client;",
  "- every credential of every client (Signable apiKey; DocuSign accessToken as value and",
  "  function; BoldSign apiKey and accessToken; QuicklySign clientId, clientSecret, apiKey,",
  "  accessToken and the api_key a create returns) set to a canary string, debug logging on,",
  "  and every error path walked (401, 403, 404, 429, 500, timeout, connection refused,",
  "  malformed JSON, and an error that echoes the request's headers and body): no canary, nor",
  "  its Base64 or URL-encoded form, appears in any message, stack, `util.inspect`,",
  "  `JSON.stringify` or log line.",
  "",
  "## Dependencies",
  "",
  "`npm run deps:report` prints each package's production dependency tree and runs",
  "`npm audit --omit=dev`. The clients depend on two packages outside this repository",
  "(`openapi-fetch`, `openapi-typescript-helpers`); the sandbox on `ajv`, `ajv-formats` and",
  "their four dependencies.",
  "",
);

writeFileSync(join(root, "RELIABILITY.md"), lines.join("\n"));
console.log(
  `RELIABILITY.md: ${total} fault-matrix cells, fuzzing of ${Object.keys(fuzz.providers).length} providers, ${runs.length} security test runs`,
);
