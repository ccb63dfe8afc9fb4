import { brandErrorClass, EsignApiError, type ProviderErrorParser } from "./errors.js";
import { type BulkDescriptor, valueAt } from "./operations.js";

/**
 * One entry of a bulk request that the provider refused while the request as a
 * whole succeeded (DocuSign answers 201 and puts `errorDetails` on the entry).
 * `code` and `providerMessage` are the provider's own; `body` is the entry's
 * error object as received.
 */
export class BulkItemError extends EsignApiError {
  static {
    brandErrorClass(this, "BulkItemError");
  }
  override name = "BulkItemError";
  /** Position of the entry in the caller's input. */
  readonly index: number;
  /** The provider's own explanation, without the context this package adds to `message`. */
  readonly providerMessage: string | undefined;

  constructor(init: {
    provider: string;
    index: number;
    code?: string | number | undefined;
    providerMessage?: string | undefined;
    body?: unknown;
    what?: string;
  }) {
    const reason = init.providerMessage ?? "the provider gave no reason";
    const code = init.code !== undefined ? ` (code ${init.code})` : "";
    super({
      message: `${init.provider} refused ${init.what ?? `entry ${init.index}`} of the bulk request: ${reason}${code}`,
      provider: init.provider,
      code: init.code,
      body: init.body,
    });
    this.index = init.index;
    this.providerMessage = init.providerMessage;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), index: this.index, providerMessage: this.providerMessage };
  }
}

/** An entry the provider accepted: `user` is what it answered for it. */
export interface BulkSuccess<U, I> {
  readonly ok: true;
  readonly index: number;
  readonly input: I;
  readonly user: U;
}

/** An entry the provider refused. `entry` is what it answered for it, when it answered anything. */
export interface BulkFailure<I, U = unknown> {
  readonly ok: false;
  readonly index: number;
  readonly input: I;
  readonly error: BulkItemError;
  readonly entry: U | undefined;
}

export type BulkOutcome<U, I> = BulkSuccess<U, I> | BulkFailure<I, U>;

/**
 * The outcome of a bulk request, one result per input entry and in input order,
 * whatever the HTTP status said. Iterate it, or use `succeeded` / `failed`.
 * `raw` is the decoded response body.
 */
export class BulkResult<U, I, R = unknown> implements Iterable<BulkOutcome<U, I>> {
  constructor(readonly results: readonly BulkOutcome<U, I>[], readonly raw: R) {}

  get length(): number {
    return this.results.length;
  }

  get succeeded(): BulkSuccess<U, I>[] {
    return this.results.filter((r): r is BulkSuccess<U, I> => r.ok);
  }

  get failed(): BulkFailure<I, U>[] {
    return this.results.filter((r): r is BulkFailure<I, U> => !r.ok);
  }

  /** True when every entry succeeded. */
  get allSucceeded(): boolean {
    return this.results.every((r) => r.ok);
  }

  [Symbol.iterator](): Iterator<BulkOutcome<U, I>> {
    return this.results[Symbol.iterator]();
  }
}

interface BulkPairing<I, E> {
  provider: string;
  inputs: readonly I[];
  /** The provider's per-entry answers. */
  entries: readonly E[];
  /**
   * What identifies an input and an answer (an email, an id). Used to check that
   * the answers come in input order, and to pair them when they do not.
   */
  keyOfInput: (input: I) => string | undefined;
  keyOfEntry: (entry: E) => string | undefined;
  /** The provider's error on an answer, or undefined when the entry succeeded. */
  failureOf: (entry: E) => { code?: string | number | undefined; message?: string | undefined } | undefined;
  /** Names an input in error messages, e.g. `user 2 (ada@example.com)`. */
  describe?: (input: I, index: number) => string;
}

const NO_ANSWER = "NO_RESULT_FOR_ENTRY";

/**
 * Pairs a bulk request's inputs with the provider's answers so that no entry is
 * lost: by position when the answers follow the input order (checked with the
 * keys), by key otherwise. An input without an answer becomes a failure too.
 */
function collectBulkResults<I, E, R>(pairing: BulkPairing<I, E>, raw: R): BulkResult<E, I, R> {
  const { inputs, entries, keyOfInput, keyOfEntry } = pairing;
  const sameKey = (input: I, entry: E) => {
    const a = keyOfInput(input);
    const b = keyOfEntry(entry);
    return a === undefined || b === undefined || a === b;
  };
  const inOrder = entries.length === inputs.length && inputs.every((input, i) => sameKey(input, entries[i] as E));
  const used = new Set<number>();
  const answerFor = (input: I, index: number): E | undefined => {
    if (inOrder) return entries[index];
    const key = keyOfInput(input);
    if (key === undefined) return undefined;
    const found = entries.findIndex((entry, j) => !used.has(j) && keyOfEntry(entry) === key);
    if (found < 0) return undefined;
    used.add(found);
    return entries[found];
  };

  const results = inputs.map((input, index): BulkOutcome<E, I> => {
    const what = pairing.describe?.(input, index);
    const entry = answerFor(input, index);
    if (entry === undefined) {
      const error = new BulkItemError({
        provider: pairing.provider,
        index,
        code: NO_ANSWER,
        providerMessage: "the response had no entry for it",
        what,
      });
      return { ok: false, index, input, error, entry: undefined };
    }
    const failure = pairing.failureOf(entry);
    if (failure) {
      const error = new BulkItemError({
        provider: pairing.provider,
        index,
        code: failure.code,
        providerMessage: failure.message,
        body: failure,
        what,
      });
      return { ok: false, index, input, error, entry };
    }
    return { ok: true, index, input, user: entry };
  });
  return new BulkResult(results, raw);
}

/**
 * One result per entry of a bulk request (the spec's `x-esign-bulk`), paired with the
 * provider's answers: by position when they follow the input order, by the key
 * otherwise. An entry carrying an error failed, whatever the status said. Generated
 * definitions of specs with a bulk operation bring this along as `features.bulk`.
 */
export function bulkResults(
  bulk: BulkDescriptor,
  body: unknown,
  decoded: unknown,
  parseError: ProviderErrorParser,
  provider: string,
): BulkResult<unknown, unknown> {
  const sent = valueAt(body, bulk.request);
  const answered = valueAt(decoded, bulk.response);
  const keyOf = (entry: unknown) => {
    const value = bulk.key === undefined ? undefined : valueAt(entry, `/${bulk.key}`);
    return typeof value === "string" ? value.trim().toLowerCase() : typeof value === "number" ? String(value) : undefined;
  };
  return collectBulkResults(
    {
      provider,
      inputs: Array.isArray(sent) ? sent : [],
      entries: Array.isArray(answered) ? answered : [],
      keyOfInput: keyOf,
      keyOfEntry: keyOf,
      failureOf: (entry) => {
        const error = valueAt(entry, bulk.error);
        if (error === undefined || error === null || error === "" || error === false) return undefined;
        if (typeof error === "object" && Object.keys(error).length === 0) return undefined;
        // The provider's own reading of the error when it has the provider's shape; otherwise
        // the entry still failed, with whatever message and code it carries.
        const loose = error as { message?: unknown; code?: unknown };
        return (
          parseError(error) ??
          (typeof error === "object"
            ? {
                message: typeof loose.message === "string" ? loose.message : undefined,
                code: typeof loose.code === "string" || typeof loose.code === "number" ? loose.code : undefined,
              }
            : { message: String(error) })
        );
      },
      describe: (input, i) => {
        const key = bulk.key === undefined ? undefined : valueAt(input, `/${bulk.key}`);
        return `entry ${i + 1}${key === undefined ? "" : ` (${String(key)})`}`;
      },
    },
    decoded,
  );
}
