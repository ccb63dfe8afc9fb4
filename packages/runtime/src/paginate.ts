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

  constructor(
    private readonly fetchPage: FetchPage<T, C>,
    start: C,
  ) {
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
      const page = await this.fetchPage(this.#cursor);
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
}

export function paginate<T, C>(fetchPage: FetchPage<T, C>, start: C): PageIterator<T, C> {
  return new PageIterator(fetchPage, start);
}
