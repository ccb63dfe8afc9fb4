import type * as NodeHttp from "node:http";
import type * as NodeHttps from "node:https";
import type * as NodeZlib from "node:zlib";
import { concatBytes, type Exchange, type ExchangeResponse, ResponseTooLarge } from "./exchange.js";
import { HeaderMap } from "./headers.js";

/**
 * HTTP exchanges on Node's own `http`/`https` modules, used instead of `fetch` when
 * the runtime has them. Node's `fetch` (undici) wraps every request and response
 * body in web streams; for the small JSON bodies these APIs exchange that costs more
 * CPU than the request itself. The modules are looked up at run time with
 * `process.getBuiltinModule` (Node ≥ 20.16), never imported, so bundles for browsers
 * and other runtimes carry no reference to them and fall back to `fetch`.
 *
 * Requests go through the modules' global agents (keep-alive in Node ≥ 19), so an
 * agent the application installed there (a proxy agent, say) is used too.
 *
 * One exchange is one request: redirects are the transport's (see redirects.ts).
 */

/** Node's modules, each loaded on first use: `https` (TLS) and `zlib` cost milliseconds to load. */
interface NodeModules {
  http(): typeof NodeHttp;
  https(): typeof NodeHttps;
  zlib(): typeof NodeZlib;
}

let modules: NodeModules | null | undefined;

function nodeModules(): NodeModules | undefined {
  if (modules === undefined) {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const load = proc?.getBuiltinModule;
    if (typeof load !== "function") {
      modules = null;
    } else {
      const lazy = <T>(id: string) => {
        let loaded: T | undefined;
        return () => {
          loaded ??= load.call(proc, id) as T;
          return loaded;
        };
      };
      modules = { http: lazy("node:http"), https: lazy("node:https"), zlib: lazy("node:zlib") };
    }
  }
  return modules ?? undefined;
}

/** The Node exchange, or undefined where the runtime has no `node:http` (browsers, Node < 20.16). */
export function nodeExchange(): Exchange<string | Uint8Array> | undefined {
  const mods = nodeModules();
  if (!mods) return undefined;
  return (request, signal, maxBytes) =>
    exchangeOnce(mods, request.method, request.url, request.headers, request.body, signal, maxBytes);
}

const NO_BODY = new Set([204, 205, 304]);
const utf8 = new TextEncoder();

function exchangeOnce(
  mods: NodeModules,
  method: string,
  url: string,
  headers: Headers,
  body: string | Uint8Array | undefined,
  signal: AbortSignal,
  maxBytes: number,
): Promise<ExchangeResponse> {
  return new Promise<ExchangeResponse>((resolve, reject) => {
    const target = new URL(url);
    const outgoing: Record<string, string> = {};
    for (const [name, value] of headers) outgoing[name] = value;
    // What fetch would have sent by itself.
    outgoing.accept ??= "*/*";
    outgoing["accept-encoding"] ??= "gzip, deflate, br";
    outgoing["user-agent"] ??= "node";
    // Said outright: Node sends a DELETE's body without a length otherwise, and the server never sees it.
    const payload = typeof body === "string" ? utf8.encode(body) : body;
    if (payload !== undefined) outgoing["content-length"] = String(payload.byteLength);
    else if (method === "POST" || method === "PUT" || method === "PATCH") outgoing["content-length"] ??= "0";

    if (signal.aborted) {
      reject(abortError(signal));
      return;
    }
    let settled = false;
    const onAbort = () => req.destroy(abortError(signal));
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener("abort", onAbort);
      req.destroy();
      reject(error);
    };
    const succeed = (response: ExchangeResponse) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener("abort", onAbort);
      resolve(response);
    };

    const lib = target.protocol === "https:" ? mods.https() : mods.http();
    const req = lib.request(target, { method, headers: outgoing }, (res) => {
      const status = res.statusCode ?? 0;
      const responseHeaders = new HeaderMap();
      const raw = res.rawHeaders;
      for (let i = 0; i + 1 < raw.length; i += 2) responseHeaders.append(raw[i] as string, raw[i + 1] as string);
      const declared = Number(res.headers["content-length"]);
      if (declared > maxBytes) {
        fail(new ResponseTooLarge());
        return;
      }
      const done = (bytes: Uint8Array) =>
        succeed({ status, statusText: res.statusMessage ?? "", headers: responseHeaders, bytes });
      if (method === "HEAD" || NO_BODY.has(status)) {
        res.resume();
        done(new Uint8Array(0));
        return;
      }

      // The limit applies to what the body decompresses to, counted as zlib produces it:
      // a small gzip of a huge body is stopped at the limit, never inflated whole.
      const encoding = res.headers["content-encoding"];
      const decoder = encoding ? decompressor(mods.zlib(), encoding) : undefined;
      const source = decoder ? res.pipe(decoder) : res;
      const chunks: Uint8Array[] = [];
      let size = 0;
      res.on("error", fail);
      decoder?.on("error", fail);
      source.on("data", (chunk: Uint8Array) => {
        size += chunk.byteLength;
        if (size > maxBytes) {
          fail(new ResponseTooLarge());
          decoder?.destroy();
          res.destroy();
          return;
        }
        chunks.push(chunk);
      });
      source.on("end", () => {
        if (!res.complete) {
          fail(prematureClose());
          return;
        }
        done(concatBytes(chunks, size));
      });
      res.on("close", () => {
        if (!res.complete) fail(prematureClose());
      });
    });
    req.on("error", fail);
    signal.addEventListener("abort", onAbort, { once: true });
    req.end(payload);
  });
}

function decompressor(zlib: typeof NodeZlib, encoding: string): NodeZlib.Gunzip | NodeZlib.Inflate | NodeZlib.BrotliDecompress | undefined {
  switch (encoding.trim().toLowerCase()) {
    case "gzip":
    case "x-gzip":
      // Servers end gzip streams sloppily; accept what arrived, as fetch does.
      return zlib.createGunzip({ flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH });
    case "deflate":
      return zlib.createInflate({ flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH });
    case "br":
      return zlib.createBrotliDecompress();
    default:
      return undefined;
  }
}

function prematureClose(): Error {
  return Object.assign(new Error("the connection closed before the whole response arrived"), { code: "ECONNRESET" });
}

function abortError(signal: AbortSignal): Error {
  return Object.assign(new Error("the request was aborted"), { name: "AbortError", cause: signal.reason });
}
