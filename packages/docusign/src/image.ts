import { ValidationError } from "@esign-users/runtime";

/** What `profileImage.put` accepts. */
export type ImageInput = Uint8Array | Blob | ArrayBuffer;

export type ProfileImageType = "image/gif" | "image/png" | "image/jpeg" | "image/bmp";

const SIGNATURES: { type: ProfileImageType; bytes: readonly number[] }[] = [
  { type: "image/gif", bytes: [0x47, 0x49, 0x46, 0x38] }, // "GIF8" (GIF87a, GIF89a)
  { type: "image/png", bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: "image/jpeg", bytes: [0xff, 0xd8, 0xff] },
  { type: "image/bmp", bytes: [0x42, 0x4d] }, // "BM"
];

/** The image type the bytes are, from their magic number; undefined for anything DocuSign does not take. */
export function detectImageType(bytes: Uint8Array): ProfileImageType | undefined {
  return SIGNATURES.find((s) => s.bytes.every((b, i) => bytes[i] === b))?.type;
}

async function toBytes(image: unknown): Promise<Uint8Array | undefined> {
  if (image instanceof Uint8Array) return image;
  if (image instanceof ArrayBuffer) return new Uint8Array(image);
  if (typeof Blob !== "undefined" && image instanceof Blob) return new Uint8Array(await image.arrayBuffer());
  return undefined;
}

/**
 * Reads a profile picture before anything is sent: the type comes from the
 * bytes, not from a file name or a Blob's `type`, so the request's Content-Type
 * always matches what DocuSign will find. (The size limit is the spec's and is
 * checked with every other rule.)
 */
export async function prepareProfileImage(
  image: unknown,
): Promise<{ bytes: Uint8Array; contentType: ProfileImageType }> {
  const bytes = await toBytes(image);
  const fail = (message: string) =>
    new ValidationError(`docusign: ${message}`, { field: "image", provider: "docusign" });
  if (!bytes) throw fail("image must be a Uint8Array, an ArrayBuffer or a Blob");
  const contentType = detectImageType(bytes);
  if (!contentType) throw fail("image is not a GIF, PNG, JPEG or BMP image");
  return { bytes, contentType };
}
