import type { Redactor } from "./redact.js";

export type LogLevel = "debug" | "info" | "warn" | "error" | "off";

/** Anything with these four methods (`console`, pino, winston) can be a logger. */
export interface Logger {
  debug(message: string, ...rest: unknown[]): void;
  info(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  error(message: string, ...rest: unknown[]): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, off: 100 };

/** Environment variable that sets the log level when the client options do not. */
export const LOG_LEVEL_ENV = "ESIGN_USERS_LOG";

function levelFromEnv(): LogLevel | undefined {
  const env = typeof process === "object" ? process.env?.[LOG_LEVEL_ENV] : undefined;
  const value = env?.trim().toLowerCase();
  return value && value in RANK ? (value as LogLevel) : undefined;
}

/**
 * The logger a client writes through: filters by level and redacts every line, so
 * a secret cannot reach a log even when a provider echoes it back.
 */
export class ClientLogger {
  readonly level: LogLevel;
  constructor(
    private readonly sink: Logger,
    private readonly redactor: Redactor,
    level?: LogLevel,
  ) {
    this.level = level ?? levelFromEnv() ?? "warn";
  }

  enabled(level: Exclude<LogLevel, "off">): boolean {
    return RANK[level] >= RANK[this.level];
  }

  log(level: Exclude<LogLevel, "off">, message: string): void {
    if (!this.enabled(level)) return;
    this.sink[level](this.redactor.redact(message));
  }
}

export function createClientLogger(redactor: Redactor, logger?: Logger, level?: LogLevel): ClientLogger {
  return new ClientLogger(logger ?? console, redactor, level);
}
