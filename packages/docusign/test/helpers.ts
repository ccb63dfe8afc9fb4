import type { RecordedRequest, Sandbox } from "@esign-users/sandbox";

/** A 1×1 PNG. */
export const PNG = Uint8Array.from(
  Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
    "base64",
  ),
);
/** A 1×1 GIF. */
export const GIF = Uint8Array.from(Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64"));
/** The start of a JPEG (SOI + JFIF APP0) followed by bytes that are not valid UTF-8. */
export const JPEG = Uint8Array.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xc3, 0x28, 0xa0, 0xa1, 0xff, 0xd9,
]);
/** A BMP file header. */
export const BMP = Uint8Array.from([
  0x42, 0x4d, 0x1e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1a, 0x00, 0x00, 0x00, 0x80, 0xfe,
]);

export type DocuSignSandbox = Sandbox<{ accessToken: string; accountId: string }>;

export const last = (sb: DocuSignSandbox): RecordedRequest => sb.requests.at(-1) as RecordedRequest;

export const json = (request: RecordedRequest): unknown => JSON.parse(request.body.toString("utf8"));

export function requestsSince(sb: DocuSignSandbox, start: number): RecordedRequest[] {
  return sb.requests.slice(start);
}
