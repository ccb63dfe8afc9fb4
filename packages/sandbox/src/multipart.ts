/**
 * Reads the text fields of a `multipart/form-data` body (RFC 7578) into an object,
 * as `application/x-www-form-urlencoded` bodies are read, so one handler serves a
 * provider that takes the same fields either way (Dropbox Sign's cURL samples send
 * `-F field=value`). Only text fields: a part carrying a file is refused, as no
 * spec here declares one. The body itself is already bounded by the server's
 * `maxBodyBytes`; the limits below bound the work done on it.
 */

export interface MultipartLimits {
  /** Most parts one body may hold. */
  maxParts: number;
  /** Largest header block of one part, in bytes. */
  maxHeaderBytes: number;
}

export const DEFAULT_MULTIPART_LIMITS: MultipartLimits = { maxParts: 1_000, maxHeaderBytes: 16 * 1024 };

export type MultipartResult = { ok: true; fields: Record<string, string | string[]> } | { ok: false; message: string };

const CRLF = Buffer.from("\r\n");
const HEADER_END = Buffer.from("\r\n\r\n");

/** A parameter of a header value (`boundary=…`, `name="…"`), unquoted; undefined when absent. */
export function headerParameter(value: string, name: string): string | undefined {
  const re = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, "i");
  const m = re.exec(value);
  if (!m) return undefined;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : m[2];
}

function fail(message: string): MultipartResult {
  return { ok: false, message: `the multipart body is malformed: ${message}` };
}

export function parseMultipartForm(
  body: Buffer,
  contentType: string,
  limits: MultipartLimits = DEFAULT_MULTIPART_LIMITS,
): MultipartResult {
  const boundary = headerParameter(contentType, "boundary");
  // RFC 2046: 1 to 70 characters.
  if (!boundary || boundary.length > 70) return fail("the Content-Type has no usable boundary parameter");
  const opening = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const fields: Record<string, string | string[]> = Object.create(null);

  // The first delimiter may follow a preamble, or open the body without a CRLF before it.
  let pos: number;
  if (body.subarray(0, opening.length).equals(opening)) pos = opening.length;
  else {
    const first = body.indexOf(delimiter);
    if (first < 0) return fail("no boundary delimiter was found");
    pos = first + delimiter.length;
  }

  for (let parts = 0; ; parts++) {
    // After a delimiter: `--` closes the body; otherwise optional padding, then CRLF and a part.
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break;
    while (body[pos] === 0x20 || body[pos] === 0x09) pos++;
    if (!body.subarray(pos, pos + 2).equals(CRLF)) return fail("a boundary delimiter is not followed by a line break");
    pos += 2;
    if (parts >= limits.maxParts) return fail(`more than ${limits.maxParts} parts`);
    const end = body.indexOf(delimiter, pos);
    if (end < 0) return fail("the body ends before its closing boundary");
    const part = body.subarray(pos, end);
    pos = end + delimiter.length;

    const headerEnd = part.indexOf(HEADER_END);
    if (headerEnd < 0) return fail("a part has no header block");
    if (headerEnd > limits.maxHeaderBytes) return fail(`a part's headers exceed ${limits.maxHeaderBytes} bytes`);
    const headers = new Map<string, string>();
    for (const line of part.subarray(0, headerEnd).toString("utf8").split("\r\n")) {
      const colon = line.indexOf(":");
      if (colon <= 0) return fail(`a part has a header line without a name: ${JSON.stringify(line.slice(0, 60))}`);
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const disposition = headers.get("content-disposition");
    if (!disposition || !/^form-data\s*(;|$)/i.test(disposition)) return fail("a part is not a form-data field");
    const name = headerParameter(disposition, "name");
    if (name === undefined || name === "") return fail("a part has no field name");
    if (headerParameter(disposition, "filename") !== undefined || headerParameter(disposition, "filename\\*") !== undefined) {
      return fail(`the field ${JSON.stringify(name)} is a file; only text fields are accepted`);
    }
    const value = part.subarray(headerEnd + HEADER_END.length).toString("utf8");
    const previous = fields[name];
    fields[name] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return { ok: true, fields: { ...fields } };
}
