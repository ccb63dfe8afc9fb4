import { SENSITIVE_HEADERS } from "./redact.js";

/**
 * The one redirect policy of every HTTP path. `fetch` is called with
 * `redirect: "manual"` and Node's modules never follow by themselves, so each hop
 * is decided here, the same way on both paths:
 *
 * - up to 20 hops, to http(s) URLs only; a 303 (and a 301/302 of a POST) becomes a
 *   GET without a body, as browsers do;
 * - credentials never leave the origin: on any change of origin every credential
 *   header is dropped (the well-known names and whatever headers the client's
 *   authentication set);
 * - a redirect that would carry credentials anyway is refused with the target
 *   named: a cross-origin 307/308 (which repeats the request, body included) of a
 *   request that carries credentials in a header or in its body, any cross-origin
 *   hop that would re-send a body carrying credentials, and any https → http hop
 *   of a request that carries credentials.
 */

export const MAX_REDIRECTS = 20;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const BODY_HEADERS = ["content-type", "content-length", "content-encoding", "content-language"];

/** One request on the wire: the first one, or a hop of a redirect. */
export interface Hop<Body> {
  method: string;
  url: string;
  headers: Headers;
  body: Body | undefined;
}

export interface RedirectPolicy {
  /** The request's `redirect` mode: `manual` hands the 3xx back, `error` refuses it. */
  mode: RequestRedirect;
  /** Lower-case names of the headers that carry credentials besides `SENSITIVE_HEADERS`. */
  credentialHeaders: ReadonlySet<string>;
  /** Whether the request body carries credentials (QuicklySign's client_secret, say). */
  bodyCarriesCredentials: boolean;
}

/** A redirect this policy does not follow; the transport makes a `RedirectError` of it. */
export class RedirectRefused extends Error {
  constructor(
    readonly status: number,
    /** Where the server pointed (absolute), or undefined when the runtime hides it. */
    readonly location: string | undefined,
    readonly reason: string,
  ) {
    super(`redirect ${status} to ${location ?? "an undisclosed location"} refused: ${reason}`);
  }
}

/** The status and headers a hop answered. */
export interface HopAnswer {
  status: number;
  headers: Headers;
}

/**
 * Sends `first`, and each hop the answers lead to, through `send`; returns the
 * first answer that is not a redirect to follow. Throws `RedirectRefused`.
 */
export async function followRedirects<Body, Answer extends HopAnswer>(
  first: Hop<Body>,
  policy: RedirectPolicy,
  send: (hop: Hop<Body>, index: number) => Promise<Answer>,
): Promise<Answer> {
  let hop = first;
  for (let index = 0; ; index++) {
    const answer = await send(hop, index);
    const next = nextHop(hop, answer, policy, index);
    if (!next) return answer;
    hop = next;
  }
}

function isCredential(name: string, policy: RedirectPolicy): boolean {
  return SENSITIVE_HEADERS.has(name) || policy.credentialHeaders.has(name);
}

/** The request to send after `answer`, or undefined when `answer` is final. */
export function nextHop<Body>(
  hop: Hop<Body>,
  answer: HopAnswer,
  policy: RedirectPolicy,
  hopsSoFar: number,
): Hop<Body> | undefined {
  if (!REDIRECT_STATUSES.has(answer.status) || policy.mode === "manual") return undefined;
  const location = answer.headers.get("location");
  if (location === null) return undefined;
  const status = answer.status;
  let target: URL;
  try {
    target = new URL(location, hop.url);
  } catch {
    throw new RedirectRefused(status, location, "the Location header is not a URL");
  }
  const where = target.href;
  if (policy.mode === "error") throw new RedirectRefused(status, where, 'the request was made with redirect: "error"');
  if (hopsSoFar >= MAX_REDIRECTS) throw new RedirectRefused(status, where, `more than ${MAX_REDIRECTS} redirects`);
  if (target.protocol !== "http:" && target.protocol !== "https:") {
    throw new RedirectRefused(status, where, `only http and https URLs are followed, not ${target.protocol}`);
  }

  const from = new URL(hop.url);
  const toGet = status === 303 ? hop.method !== "HEAD" : hop.method === "POST" && status <= 302;
  const method = toGet ? "GET" : hop.method;
  const body = toGet ? undefined : hop.body;
  const headerCredentials = [...hop.headers.keys()].some((name) => isCredential(name, policy));
  const bodyCredentials = body !== undefined && policy.bodyCarriesCredentials;

  if (target.origin !== from.origin) {
    if ((status === 307 || status === 308) && (headerCredentials || bodyCredentials)) {
      throw new RedirectRefused(
        status,
        where,
        `a ${status} repeats the request, and this one carries credentials, which are not sent to another origin`,
      );
    }
    if (bodyCredentials) {
      throw new RedirectRefused(status, where, "the request body carries credentials, which are not sent to another origin");
    }
    if (from.protocol === "https:" && target.protocol === "http:" && (headerCredentials || policy.bodyCarriesCredentials)) {
      throw new RedirectRefused(status, where, "a request carrying credentials is not redirected from https to http");
    }
  }

  const headers = copyHeaders(hop.headers);
  if (target.origin !== from.origin) {
    for (const name of [...headers.keys()]) if (isCredential(name, policy)) headers.delete(name);
  }
  if (toGet) for (const name of BODY_HEADERS) headers.delete(name);
  return { method, url: where, headers, body };
}

/** A copy of the same class (a `HeaderMap` stays one, so the Node path never touches undici). */
function copyHeaders(headers: Headers): Headers {
  const Type = headers.constructor as new (init: Headers) => Headers;
  return new Type(headers);
}
