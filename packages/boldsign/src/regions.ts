import { ValidationError } from "@esign-users/runtime";

/** BoldSign's data centres: an account lives in one, and only that region's host accepts its credentials. */
export const BOLDSIGN_BASE_URLS = {
  us: "https://api.boldsign.com",
  eu: "https://api-eu.boldsign.com",
  ca: "https://api-ca.boldsign.com",
  au: "https://api-au.boldsign.com",
} as const;

export type BoldSignRegion = keyof typeof BOLDSIGN_BASE_URLS;

/** The API host of a region; refuses anything but the four BoldSign runs. */
export function boldsignBaseUrl(region: BoldSignRegion = "us"): string {
  if (!Object.hasOwn(BOLDSIGN_BASE_URLS, region)) {
    throw new ValidationError(
      `boldsign: region must be one of ${Object.keys(BOLDSIGN_BASE_URLS).join(", ")} (got ${JSON.stringify(region)})`,
      { field: "region", provider: "boldsign" },
    );
  }
  return BOLDSIGN_BASE_URLS[region];
}
