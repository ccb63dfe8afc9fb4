import { signable, type SignableCredentials, type SignableState } from "./signable.js";

/**
 * The provider servers. Adding one: write `providers/<name>.ts` exporting a
 * `SandboxProvider`, and add it to the three lists below.
 */
export const providers = {
  signable,
} as const;

export type ProviderName = keyof typeof providers;

export interface SandboxCredentials {
  signable: SignableCredentials;
}

export interface SandboxState {
  signable: SignableState;
}
