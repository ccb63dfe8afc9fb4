import { type Hop, RedirectRefused } from "./redirects.js";

/**
 * One HTTP exchange: one request, its whole response read within the size limit.
 * Two implementations: Node's own modules (node-http.ts) and `fetch` (below). The
 * transport drives both the same way, redirects included (redirects.ts).
 */

/** A whole response, its body read (and decompressed) within the size limit. */
export interface ExchangeResponse {
  status: number;
  statusText: string;
  headers: Headers;
  bytes: Uint8Array;
}

/** `prepared`: the first hop as a `Request` already made (and shown to the onRequest hook). */
export type Exchange<Body> = (
  request: Hop<Body>,
  signal: AbortSignal,
  maxBytes: number,
  prepared?: Request,
) => Promise<ExchangeResponse>;

export type FetchLike = (input: Request) => Promise<Response>;

/** What `fetch` can send again on every hop and attempt: bodies held in memory. */
export type FetchBody = string | Uint8Array | Blob | URLSearchParams | FormData;

/** Thrown when a body is larger than the limit; the transport turns it into `ResponseFormatError`. */
export class ResponseTooLarge extends Error {}

/**
 * Exchanges through `fetch`. Always `redirect: "manual"`, so that the runtime's
 * redirect policy, not the platform's, decides where credentials go. `viaRequest`:
 * hand `fetchImpl` a `Request` (a custom fetch expects one); otherwise the global
 * `fetch` is called with a URL and options, which skips building a `Request`.
 */
export function fetchExchange(fetchImpl: FetchLike | undefined, viaRequest: boolean): Exchange<FetchBody> {
  const call = fetchImpl ?? ((request: Request) => globalThis.fetch(request));
  return async (hop, signal, maxBytes, prepared) => {
    const init: RequestInit = {
      method: hop.method,
      headers: hop.headers,
      body: (hop.body ?? null) as BodyInit | null,
      signal,
      redirect: "manual",
    };
    const response = prepared
      ? await call(prepared)
      : viaRequest
        ? await call(new Request(hop.url, init))
        : await globalThis.fetch(hop.url, init);
    if (response.type === "opaqueredirect") {
      // A browser's answer to a redirect under "manual": status 0 and no Location.
      throw new RedirectRefused(0, undefined, "the runtime does not disclose where the redirect leads (an opaque redirect)");
    }
    const bytes = await readBody(response, maxBytes);
    return { status: response.status, statusText: response.statusText, headers: response.headers, bytes };
  };
}

/**
 * Reads the whole body, refusing one larger than `limit` before it is all in
 * memory. `fetch` hands the body over decompressed, and `Content-Length` counts
 * the compressed bytes: an encoded body is always read piece by piece and its
 * decompressed size counted as it arrives.
 */
export async function readBody(response: Response, limit: number): Promise<Uint8Array> {
  const declared = response.headers.get("content-length");
  const encoding = response.headers.get("content-encoding")?.trim().toLowerCase();
  const identity = encoding === undefined || encoding === "" || encoding === "identity";
  if (declared !== null && identity) {
    const size = Number(declared);
    if (size > limit) {
      await response.body?.cancel().catch(() => {});
      throw new ResponseTooLarge();
    }
    // The size is known and acceptable: let the platform read it in one go.
    if (Number.isFinite(size)) return new Uint8Array(await response.arrayBuffer());
  }
  if (!response.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new ResponseTooLarge();
    }
    chunks.push(value);
  }
  // A stream's lone chunk is already an array of its own.
  return chunks.length === 1 ? (chunks[0] as Uint8Array) : concatBytes(chunks, size);
}

/** A fresh array holding the chunks (never a view into a pooled buffer the caller could read past). */
export function concatBytes(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
