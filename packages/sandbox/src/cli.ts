import { parseArgs } from "node:util";
import type { Fault, FaultOptions } from "./faults.js";
import { type ProviderName, providerNames, startSandbox } from "./index.js";
import type { Sandbox } from "./server.js";

/**
 * `esign-users-sandbox`: the sandboxes from a shell. Run by bin/esign-users-sandbox.js.
 * It parses its arguments like the repository's maintainer scripts do (one line naming
 * the fix, exit code 2) with its own few lines: a published package cannot lean on the
 * repository's private scripts.
 */

const NAME = "esign-users-sandbox";

const OPTIONS = {
  provider: { type: "string", short: "p", default: "all" },
  port: { type: "string", default: "0" },
  host: { type: "string", default: "127.0.0.1" },
  "idle-minutes": { type: "string", default: "30" },
  fault: { type: "string", multiple: true, default: [] as string[] },
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

export const usage = `Usage: ${NAME} [options]

Starts local servers that behave like the providers' user APIs, binds every port
first, then prints each provider's URL, the credentials it accepts and a client
snippet. Stops on Ctrl-C, or by itself after --idle-minutes without a request.

Options:
  -p, --provider <name>    ${providerNames.join(", ")} or all (default: all)
      --port <n>           first port; with all, providers take consecutive ports (default: 0, free ports)
      --host <addr>        interface to bind (default: 127.0.0.1)
      --idle-minutes <n>   stop after this long without a request; 0 never (default: 30)
      --fault <fault>      inject a fault into every sandbox started; repeat for more (see below)
      --json               print one JSON line per provider ({ provider, url, credentials }) instead
  -h, --help               show this help

Faults: <kind>[=<value>][:<count>], where <count> is how many of the next requests
get it (default 1) or a percentage of all requests (seeded, e.g. 10%):
  429:2            the next 2 requests get 429 with Retry-After: 1 (429=5:2 waits 5 s)
  500:1, 503:3     that status in the provider's error format (503=2: with Retry-After: 2)
  reset:1          the connection closes without an answer
  delay=200:3      the next 3 answers come 200 ms late
  hang:1           no answer until the client gives up
  html:1, empty:1, malformed:1, truncated:1    a broken answer (html=503: an HTML 503 page)
  500:10%          a tenth of all requests get 500

Examples:
  ${NAME} --provider all --port 4010
  ${NAME} --provider signable --fault 429:2 --fault delay=200:3
  npx --package @esign-users/sandbox ${NAME} --provider all
      (names the package, so npx cannot fetch something else called ${NAME})
  npm run sandbox -- --provider all --port 4010
      (in the esign-users repository: the local bin, never the registry)
`;

export class UsageError extends Error {}

const STATUS = /^[1-5][0-9][0-9]$/;
const BROKEN = ["html", "empty", "malformed", "truncated", "hang", "reset", "echo"] as const;

/** `429:2`, `delay=200:3`, `reset:1`, `500:10%` → a fault and how often it applies. */
export function parseFault(text: string): { fault: Fault; options: FaultOptions } {
  const match = /^([a-z0-9]+)(?:=([0-9]+))?(?::([0-9]+(?:\.[0-9]+)?%?))?$/.exec(text.trim());
  if (!match) throw new UsageError(`--fault ${text}: write <kind>[=<value>][:<count>], e.g. 429:2 or delay=200:3`);
  const [, kind = "", rawValue, rawCount = "1"] = match;
  const value = rawValue === undefined ? undefined : Number(rawValue);
  let options: FaultOptions;
  if (rawCount.endsWith("%")) {
    const percent = Number(rawCount.slice(0, -1));
    if (!(percent > 0 && percent <= 100)) throw new UsageError(`--fault ${text}: a percentage is between 0 and 100`);
    options = { fraction: percent / 100 };
  } else {
    const times = Number(rawCount);
    if (!Number.isInteger(times) || times < 1) throw new UsageError(`--fault ${text}: the count after : is a whole number of requests, 1 or more`);
    options = { times };
  }
  let fault: Fault;
  if (STATUS.test(kind)) {
    const status = Number(kind);
    if (status < 400) throw new UsageError(`--fault ${text}: a status fault is 400 to 599`);
    const retryAfter = value ?? (status === 429 ? 1 : undefined);
    fault = retryAfter === undefined ? { type: "status", status } : { type: "status", status, retryAfter };
  } else if (kind === "delay") {
    if (value === undefined) throw new UsageError(`--fault ${text}: say how long, e.g. delay=200:3 (milliseconds)`);
    fault = { type: "delay", ms: value };
  } else if (kind === "html" || kind === "empty" || kind === "echo") {
    fault = value === undefined ? { type: kind } : { type: kind, status: value };
  } else if ((BROKEN as readonly string[]).includes(kind)) {
    if (value !== undefined) throw new UsageError(`--fault ${text}: ${kind} takes no =value`);
    fault = { type: kind as "malformed" | "truncated" | "hang" | "reset" };
  } else {
    throw new UsageError(`--fault ${text}: unknown kind ${kind}; use a status (429, 500 …), delay=<ms>, ${BROKEN.join(", ")}`);
  }
  return { fault, options };
}

/** How a fault reads in the start-up summary. */
function describeFault({ fault, options }: { fault: Fault; options: FaultOptions }): string {
  const who = options.fraction !== undefined ? `${options.fraction * 100}% of requests` : `the next ${options.times} request(s)`;
  const what =
    fault.type === "status"
      ? `${fault.status}${fault.retryAfter !== undefined ? ` (Retry-After: ${fault.retryAfter})` : ""}`
      : fault.type === "delay"
        ? `a ${fault.ms} ms delay`
        : fault.type;
  return `${who} get ${what}`;
}

export interface Settings {
  providers: ProviderName[];
  port: number;
  host: string;
  idleMinutes: number;
  faults: { fault: Fault; options: FaultOptions }[];
  json: boolean;
}

/** The settings, or `"help"`; a mistake is a UsageError whose message is the whole line. */
export function parseSettings(argv: string[]): Settings | "help" {
  let values: { [K in keyof typeof OPTIONS]: (typeof OPTIONS)[K]["default"] extends string[] ? string[] : (typeof OPTIONS)[K]["default"] };
  try {
    values = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }).values as typeof values;
  } catch (error) {
    if (argv.includes("--help") || argv.includes("-h")) return "help";
    const message = (error as Error).message;
    const flag = /'(-{1,2}[^' ]+)/.exec(message)?.[1] ?? "";
    const near = Object.keys(OPTIONS).find((o) => distance(flag.replace(/^-+/, ""), o) <= 2);
    if ((error as { code?: string }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      throw new UsageError(`unknown option ${flag}${near ? `; did you mean --${near}?` : ""}`);
    }
    if (/argument missing/.test(message)) throw new UsageError(`${flag} needs a value`);
    throw new UsageError(message.split(".")[0] ?? message);
  }
  if (values.help) return "help";
  const providers = values.provider === "all" ? providerNames : [values.provider as ProviderName];
  if (!providerNames.includes(providers[0] as ProviderName)) {
    throw new UsageError(`unknown provider ${values.provider}; use one of ${providerNames.join(", ")} or all`);
  }
  const port = Number(values.port);
  if (!/^[0-9]+$/.test(values.port) || port > 65535 - (providers.length - 1)) {
    throw new UsageError(`--port ${values.port} is not a port: use 1–65535, or 0 for free ports`);
  }
  const idleMinutes = Number(values["idle-minutes"]);
  if (!(idleMinutes >= 0)) throw new UsageError(`--idle-minutes ${values["idle-minutes"]}: use a number of minutes, 0 for never`);
  return { providers, port, host: values.host, idleMinutes, faults: values.fault.map(parseFault), json: values.json };
}

/** Edits between two words, to suggest the option a typo meant. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

/** `docusign-v2` → the facade's `provider: "docusign", version: "v2"`: the same `<provider>-v<version>` rule as the specs. */
function facadeProvider(name: string): Record<string, string> {
  const match = /^(.*)-(v[0-9.]+)$/.exec(name);
  return match ? { provider: match[1] as string, version: match[2] as string } : { provider: name };
}

const literal = (options: Record<string, unknown>) =>
  `{ ${Object.entries(options)
    .map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${JSON.stringify(v)}`)
    .join(", ")} }`;

/** A line to paste into code: the facade's options are the sandbox's credentials and its URL. */
export function clientSnippet(name: string, sb: Pick<Sandbox<object>, "credentials" | "url">): string {
  return `const dir = createUserDirectory(${literal({ ...facadeProvider(name), ...sb.credentials, baseUrl: sb.url })});`;
}

function portInUse(error: unknown): { port: number; address: string } | undefined {
  const e = error as { code?: string; port?: number; address?: string };
  return e?.code === "EADDRINUSE" ? { port: e.port ?? 0, address: e.address ?? "" } : undefined;
}

/** Runs the CLI; resolves to an exit code when it should stop at once, or never while serving. */
export async function main(argv: string[]): Promise<number | undefined> {
  let settings: Settings | "help";
  try {
    settings = parseSettings(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${NAME}: ${error.message} (${NAME} --help lists the options)`);
    return 2;
  }
  if (settings === "help") {
    process.stdout.write(usage);
    return 0;
  }
  const { providers, port, host, idleMinutes, faults, json } = settings;

  // Every port is bound before anything is printed: a URL on screen is a URL that answers.
  const started: { name: ProviderName; sb: Sandbox<object> }[] = [];
  try {
    for (const [i, name] of providers.entries()) {
      const sb = await startSandbox({
        provider: name,
        port: port === 0 ? 0 : port + i,
        host,
        idleTimeoutMs: idleMinutes > 0 ? idleMinutes * 60_000 : undefined,
      });
      started.push({ name, sb: sb as Sandbox<object> });
    }
  } catch (error) {
    await Promise.all(started.map((s) => s.sb.close()));
    const busy = portInUse(error);
    console.error(
      busy
        ? `${NAME}: port ${busy.port} on ${host} is already in use; stop what listens there, or pass another --port (0 picks free ports)`
        : `${NAME}: could not start the sandbox: ${(error as Error).message}`,
    );
    return 1;
  }
  for (const { sb } of started) for (const f of faults) sb.faults.inject(f.fault, f.options);

  const stopAll = () => Promise.all(started.map((s) => s.sb.close()));
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void stopAll().then(() => process.exit(0)));

  if (json) {
    for (const { name, sb } of started) console.log(JSON.stringify({ provider: name, url: sb.url, credentials: sb.credentials }));
    return undefined;
  }
  const idle = idleMinutes > 0 ? `, or by itself after ${idleMinutes} idle minute(s)` : "";
  console.log(`${NAME}: ${started.length} sandbox(es) on ${host}; Ctrl-C stops them${idle}.`);
  if (faults.length > 0) console.log(`Faults, in each sandbox: ${faults.map(describeFault).join("; ")}.`);
  console.log('In your code (npm install esign-users): import { createUserDirectory } from "esign-users";\n');
  for (const { name, sb } of started) {
    console.log(`${name.padEnd(12)} ${sb.url}`);
    console.log(`  credentials  ${JSON.stringify(sb.credentials)}`);
    console.log(`  client       ${clientSnippet(name, sb)}\n`);
  }
  return undefined;
}
