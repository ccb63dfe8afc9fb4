/** What a faulty answer looks like. */
export type Fault =
  /** An error status in the provider's own error format; 429/503 carry `Retry-After` when `retryAfter` is set. */
  | { type: "status"; status: number; retryAfter?: number | string; retryAfterMs?: number }
  /** An HTML error page, as a load balancer sends (default 502). */
  | { type: "html"; status?: number }
  /** A status with an empty body (default 500). */
  | { type: "empty"; status?: number }
  /** 200 with a body that is not valid JSON. */
  | { type: "malformed" }
  /** Headers promise more bytes than are sent, then the connection closes. */
  | { type: "truncated" }
  /** Never answers; the connection stays open until the client gives up or the sandbox closes. */
  | { type: "hang" }
  /** Answers normally after a delay. */
  | { type: "delay"; ms: number }
  /** Closes the connection without answering. */
  | { type: "reset" }
  /** 200 with a JSON body of about `bytes` bytes, streamed without a Content-Length (a hostile or broken server). */
  | { type: "oversized"; bytes: number }
  /** 200 with JSON nested `depth` levels deep. */
  | { type: "deep"; depth: number }
  /**
   * An error in the provider's format whose message repeats the request's headers
   * and body, as a careless server or debugging proxy does: credentials included.
   */
  | { type: "echo"; status?: number };

export interface FaultOptions {
  /** Apply to the next N matching requests (default 1 unless `fraction` is given). */
  times?: number;
  /** Apply to this fraction (0–1) of matching requests instead, drawn from a seeded generator. */
  fraction?: number;
  /** Seed of the fraction mode's generator: the same seed picks the same requests. Default 1. */
  seed?: number;
  /** Only requests for this operationId (or these). */
  operationId?: string | string[];
  /** Only requests with this HTTP method. */
  method?: string;
  /**
   * `before` (default): the fault replaces the request, which never reaches the
   * provider's logic. `after`: the request is carried out (a user is created),
   * then the answer is replaced by the fault — the case where retrying is unsafe.
   */
  phase?: "before" | "after";
}

export interface FaultRule {
  readonly fault: Fault;
  readonly options: Readonly<FaultOptions>;
  /** How many requests this rule has faulted so far. */
  readonly hits: number;
  /** Requests left for a `times` rule; Infinity for a fraction rule. */
  readonly remaining: number;
}

/** A small, fast, seedable generator (mulberry32): the same seed gives the same sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rule implements FaultRule {
  hits = 0;
  remaining: number;
  readonly #random: (() => number) | undefined;
  readonly #operations: Set<string> | undefined;

  constructor(
    readonly fault: Fault,
    readonly options: Readonly<FaultOptions>,
  ) {
    if (options.fraction !== undefined && !(options.fraction >= 0 && options.fraction <= 1)) {
      throw new RangeError("fraction must be between 0 and 1");
    }
    this.remaining = options.fraction !== undefined ? Infinity : (options.times ?? 1);
    this.#random = options.fraction !== undefined ? seededRandom(options.seed ?? 1) : undefined;
    const ops = options.operationId;
    this.#operations = ops === undefined ? undefined : new Set(Array.isArray(ops) ? ops : [ops]);
  }

  matches(phase: "before" | "after", operationId: string | undefined, method: string): boolean {
    if ((this.options.phase ?? "before") !== phase) return false;
    if (this.#operations && (!operationId || !this.#operations.has(operationId))) return false;
    if (this.options.method && this.options.method.toUpperCase() !== method.toUpperCase()) return false;
    return true;
  }

  /** Decides (and records) whether this request is faulted. */
  take(): boolean {
    if (this.remaining <= 0) return false;
    if (this.#random) {
      if (this.#random() >= (this.options.fraction ?? 0)) return false;
    } else {
      this.remaining -= 1;
    }
    this.hits += 1;
    return true;
  }
}

/** Injected failures: `sb.faults.inject({ type: "status", status: 429, retryAfter: 1 }, { times: 2 })`. */
export class FaultController {
  #rules: Rule[] = [];

  /** Adds a rule; rules are tried in the order they were added. */
  inject(fault: Fault, options: FaultOptions = {}): FaultRule {
    const rule = new Rule(fault, options);
    this.#rules.push(rule);
    return rule;
  }

  /** Shorthand: the next `times` requests get `fault`. */
  next(times: number, fault: Fault, options: Omit<FaultOptions, "times" | "fraction"> = {}): FaultRule {
    return this.inject(fault, { ...options, times });
  }

  /** Shorthand: a seeded `fraction` of requests get `fault`. */
  fraction(fraction: number, fault: Fault, options: Omit<FaultOptions, "times" | "fraction"> = {}): FaultRule {
    return this.inject(fault, { ...options, fraction });
  }

  clear(): void {
    this.#rules = [];
  }

  get rules(): readonly FaultRule[] {
    return this.#rules;
  }

  /** The fault for this request, if a rule picks it. */
  pick(phase: "before" | "after", operationId: string | undefined, method: string): Fault | undefined {
    for (const rule of this.#rules) {
      if (rule.matches(phase, operationId, method) && rule.take()) return rule.fault;
    }
    return undefined;
  }
}
