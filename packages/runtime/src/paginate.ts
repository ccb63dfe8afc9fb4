import { ValidationError } from "./errors.js";
import type { OperationDescriptor, PaginationDescriptor, RequestOptions } from "./operations.js";
import { valueAt } from "./operations.js";

/** One page as a provider client reads it. `next` is undefined on the last page. */
export interface Page<T, C> {
  items: T[];
  next: C | undefined;
}

export type FetchPage<T, C> = (cursor: C) => Promise<Page<T, C>>;

/**
 * Iterates over every item of a paginated list, fetching pages as they are
 * needed. Use it with `for await`, or `.pages()` for whole pages.
 *
 * `cursor` always names the first page not yet fully handed out, so a list that
 * fails half-way can be resumed where it stopped (`list(query, { cursor })`)
 * without losing or repeating a page.
 */
export class PageIterator<T, C> implements AsyncIterable<T> {
  #cursor: C | undefined;
  #started = false;
  // Typed to take any cursor, so an iterator of numbers is also an iterator of unknown cursors.
  readonly #fetchPage: (cursor: never) => Promise<Page<T, C>>;

  constructor(fetchPage: FetchPage<T, C>, start: C) {
    this.#fetchPage = fetchPage;
    this.#cursor = start;
  }

  /** Where to resume: the page being read, or undefined once the list is exhausted. */
  get cursor(): C | undefined {
    return this.#cursor;
  }

  async *pages(): AsyncGenerator<T[], void, undefined> {
    if (this.#started) throw new Error("a list can be iterated once; start a new list() to iterate again");
    this.#started = true;
    while (this.#cursor !== undefined) {
      const page = await this.#fetchPage(this.#cursor as never);
      yield page.items;
      // Advance only once the consumer has taken the whole page.
      this.#cursor = page.next;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const items of this.pages()) yield* items;
  }

  /** Every item, in order. Prefer `for await` for large accounts. */
  async toArray(): Promise<T[]> {
    const all: T[] = [];
    for await (const item of this) all.push(item);
    return all;
  }

  /** The same list, each item passed through `fn`; pages and cursors are unchanged. */
  map<U>(fn: (item: T) => U): PageIterator<U, C> {
    const fetchPage = this.#fetchPage;
    return new PageIterator(async (cursor: C) => {
      const page = await fetchPage(cursor as never);
      return { items: page.items.map(fn), next: page.next };
    }, this.#cursor as C);
  }

  /** The same list without the items `keep` refuses; pages and cursors are unchanged. */
  filter(keep: (item: T) => boolean): PageIterator<T, C> {
    const fetchPage = this.#fetchPage;
    return new PageIterator(async (cursor: C) => {
      const page = await fetchPage(cursor as never);
      return { items: page.items.filter(keep), next: page.next };
    }, this.#cursor as C);
  }
}

export function paginate<T, C>(fetchPage: FetchPage<T, C>, start: C): PageIterator<T, C> {
  return new PageIterator(fetchPage, start);
}

/** Options of a `list()` call: per-call request options, and where to resume. */
export interface ListOptions<C = number> extends RequestOptions {
  /** Resume an interrupted list: the `cursor` of the iterator that stopped. */
  cursor?: C;
}

/** Where a cursor-style list starts: no cursor yet. */
const FIRST_PAGE = null;

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "" && value !== false;
}

/** The first cursor of a list in this style: offset 0, page 1, or no cursor. */
function firstCursor(pagination: PaginationDescriptor): number | null {
  return pagination.style === "offset" ? 0 : pagination.style === "page" ? 1 : FIRST_PAGE;
}

/**
 * Where the list goes after a page, by the one stop rule the spec gives the
 * operation: the `next` field, the page count, the item count, or (with none of
 * them) a page shorter than asked for. An empty page always ends the list.
 */
function nextCursor(
  pagination: PaginationDescriptor,
  answer: unknown,
  cursor: number | string | null,
  received: number,
  pageSize: number | undefined,
): number | string | undefined {
  if (pagination.style === "cursor") {
    const next = pagination.next ? valueAt(answer, pagination.next) : undefined;
    return received > 0 && (typeof next === "string" || typeof next === "number") && next !== "" ? next : undefined;
  }
  if (received === 0) return undefined;
  const at = cursor as number;
  const following = pagination.style === "offset" ? at + received : at + 1;
  if (pagination.next !== undefined) return present(valueAt(answer, pagination.next)) ? following : undefined;
  if (pagination.totalPages !== undefined) {
    const pages = Number(valueAt(answer, pagination.totalPages));
    if (Number.isFinite(pages)) {
      const page = pagination.style === "page" ? at : Math.floor(at / Math.max(1, pageSize ?? received)) + 1;
      return page >= pages ? undefined : following;
    }
  }
  if (pagination.total !== undefined) {
    const total = Number(valueAt(answer, pagination.total));
    if (Number.isFinite(total)) {
      const seen = pagination.style === "offset" ? at + received : at * (pageSize ?? received);
      return seen >= total ? undefined : following;
    }
  }
  return pageSize !== undefined && received < pageSize ? undefined : following;
}

/** Checks a cursor handed back to resume a list: the kind the operation's style uses. */
function checkCursor(pagination: PaginationDescriptor, cursor: unknown, provider: string): void {
  const ok =
    pagination.style === "cursor"
      ? cursor === FIRST_PAGE || (typeof cursor === "string" && cursor !== "") || typeof cursor === "number"
      : typeof cursor === "number" && Number.isInteger(cursor) && cursor >= (pagination.style === "page" ? 1 : 0);
  if (!ok) {
    const what =
      pagination.style === "offset"
        ? "a whole number from 0 (an offset)"
        : pagination.style === "page"
          ? "a whole number from 1 (a page number)"
          : "the cursor of an earlier list";
    throw new ValidationError(`${provider}: cursor must be ${what}`, { field: "cursor", provider, rule: "type" });
  }
}

type CallOperation = (
  operationId: string,
  input: Record<string, unknown>,
  options?: RequestOptions,
) => Promise<unknown>;

/**
 * The `list()` of a paginated operation: every item of every page, the paging
 * parameters managed here and every other query parameter passed through. The
 * page size defaults to the largest the spec allows (the fewest requests).
 * `check` validates the first request's input before anything is sent.
 */
export function paginateOperation(
  call: CallOperation,
  operationId: string,
  op: OperationDescriptor,
  query: Record<string, unknown>,
  options: ListOptions<unknown>,
  provider: string,
  check: (input: Record<string, unknown>) => void,
): PageIterator<unknown, unknown> {
  const pagination = op.pagination as PaginationDescriptor;
  const { cursor: resume, ...requestOptions } = options ?? {};
  if (query !== undefined && (typeof query !== "object" || query === null || Array.isArray(query))) {
    throw new ValidationError(`${provider} ${operationId}: the list query must be an object`, { provider, rule: "type" });
  }
  const filters: Record<string, unknown> = { ...query };
  if (Object.hasOwn(filters, pagination.param)) {
    throw new ValidationError(
      `${provider} ${operationId}: ${pagination.param} is set by the list itself (resume with the cursor option)`,
      { field: pagination.param, provider, rule: "unknown" },
    );
  }
  const start = resume === undefined ? firstCursor(pagination) : resume;
  checkCursor(pagination, start, provider);
  const size = pagination.size;
  if (size !== undefined && filters[size] === undefined && pagination.maxSize !== undefined) filters[size] = pagination.maxSize;
  const inputFor = (cursor: unknown) =>
    cursor === FIRST_PAGE ? filters : { ...filters, [pagination.param]: cursor };
  // The first page's input is checked now, so bad input fails here rather than mid-loop.
  check(inputFor(start));
  const pageSize = size !== undefined && filters[size] !== undefined ? Number(filters[size]) : undefined;
  return paginate<unknown, unknown>(async (cursor) => {
    const answer = await call(operationId, inputFor(cursor), requestOptions);
    const found = valueAt(answer, pagination.items);
    const items = Array.isArray(found) ? found : [];
    return { items, next: nextCursor(pagination, answer, cursor as number | string | null, items.length, pageSize) };
  }, start);
}
