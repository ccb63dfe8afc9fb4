import { parseArgs } from "node:util";

/**
 * The one argument parser of every maintainer command: node:util's parseArgs, plus
 * `--help` made from the option descriptions, and every mistake reported in one
 * line that says what to do, with exit code 2 (never a stack trace).
 */

interface OptionBase {
  /** One line for `--help`. */
  description: string;
  short?: string;
  /** Not listed by `--help` (switches meant for the tests). */
  hidden?: boolean;
}
export type OptionSpec =
  | (OptionBase & { type: "boolean"; default?: boolean })
  | (OptionBase & { type: "string"; default?: string; multiple?: false; value?: string })
  | (OptionBase & { type: "string"; multiple: true; default?: string[]; value?: string });

export type OptionSpecs = Record<string, OptionSpec>;

type Parsed<O extends OptionSpecs> = {
  [K in keyof O]: O[K] extends { type: "boolean" }
    ? boolean
    : O[K] extends { multiple: true }
      ? string[]
      : O[K] extends { default: string }
        ? string
        : string | undefined;
};

export interface CommandSpec<O extends OptionSpecs> {
  /** What the user types, e.g. `npm run generate --`. Used in help and error lines. */
  command: string;
  /** What the command does, a few lines. */
  summary: string;
  options: O;
  /** Positional arguments, e.g. `[spec ...]`; absent means none are accepted. */
  positionals?: string;
  /** Extra lines after the options (examples). */
  examples?: string[];
}

export interface ParsedCommand<O extends OptionSpecs> {
  values: Parsed<O>;
  positionals: string[];
}

/** The label at the start of every error line: `generate:` for `npm run generate --`. */
const label = (command: string) => command.replace(/^npm run /, "").replace(/ --$/, "");

export function helpText<O extends OptionSpecs>(spec: CommandSpec<O>): string {
  const rows = Object.entries(spec.options)
    .filter(([, o]) => !o.hidden)
    .map(([name, o]) => {
      const flag = `${o.short ? `-${o.short}, ` : "    "}--${name}${o.type === "string" ? ` ${o.value ?? "<value>"}` : ""}`;
      const fallback = o.default !== undefined && o.type === "string" && !o.multiple ? ` (default: ${o.default})` : "";
      return [flag, `${o.description}${fallback}`] as const;
    });
  rows.push(["-h, --help", "show this help"]);
  const width = Math.max(...rows.map(([f]) => f.length)) + 2;
  return [
    `Usage: ${spec.command} [options]${spec.positionals ? ` ${spec.positionals}` : ""}`,
    "",
    spec.summary.trim(),
    "",
    "Options:",
    ...rows.map(([f, d]) => `  ${f.padEnd(width)}${d}`),
    ...(spec.examples?.length ? ["", "Examples:", ...spec.examples.map((e) => `  ${e}`)] : []),
    "",
  ].join("\n");
}

/** Stops with exit code 2 and one line: what was wrong, and how to see the options. */
export function usageError(command: string, problem: string): never {
  console.error(`${label(command)}: ${problem} (\`${command} --help\` lists the options)`);
  process.exit(2);
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, (row[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length] ?? 0;
}

/** The known option closest to a mistyped one, when it is close enough to be a typo. */
export function closestOption(typed: string, known: string[]): string | undefined {
  const bare = typed.replace(/^-+/, "").split("=")[0] ?? "";
  const scored = known.map((k) => ({ k, d: editDistance(bare, k) })).sort((x, y) => x.d - y.d);
  const best = scored[0];
  return best && best.d <= (bare.length <= 3 ? 1 : 2) ? best.k : undefined;
}

/** Why parseArgs refused, said for a person; parseArgs' own messages are long and mention `--` quoting. */
function explain(error: Error & { code?: string }, known: string[]): string {
  const quoted = /'(-{1,2}[^' ]+)/.exec(error.message)?.[1] ?? "";
  switch (error.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION": {
      const near = closestOption(quoted, known);
      return `unknown option ${quoted}${near ? `; did you mean --${near}?` : ""}`;
    }
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return /argument missing/.test(error.message)
        ? `${quoted} needs a value`
        : `${quoted} takes no value`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `unexpected argument ${/'([^']*)'/.exec(error.message)?.[1] ?? ""}: this command takes options only`;
    default:
      return error.message.split("\n")[0] ?? "bad arguments";
  }
}

/**
 * Parses `argv` (default: this process's arguments). `--help` prints the help and
 * exits 0; a mistake exits 2 with one line.
 */
export function parseCommand<O extends OptionSpecs>(spec: CommandSpec<O>, argv = process.argv.slice(2)): ParsedCommand<O> {
  const options = Object.fromEntries(
    Object.entries(spec.options).map(([name, o]) => {
      const { description: _d, hidden: _h, value: _v, ...parseOption } = o as OptionSpec & { value?: string };
      return [name, parseOption];
    }),
  );
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals: spec.positionals !== undefined,
      strict: true,
    });
  } catch (error) {
    if (argv.includes("--help") || argv.includes("-h")) {
      process.stdout.write(helpText(spec));
      process.exit(0);
    }
    usageError(spec.command, explain(error as Error, [...Object.keys(spec.options), "help"]));
  }
  if (parsed.values.help) {
    process.stdout.write(helpText(spec));
    process.exit(0);
  }
  const { help: _help, ...values } = parsed.values;
  return { values: values as Parsed<O>, positionals: parsed.positionals };
}
