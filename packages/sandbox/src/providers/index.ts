import { boldsign, type BoldSignClientCredentials, type BoldSignCredentials, type BoldSignState } from "./boldsign.js";
import {
  type DocuSignClientCredentials,
  type DocuSignCredentials,
  type DocuSignState,
  docusign,
  docusignV2,
} from "./docusign.js";
import {
  quicklysign,
  type QuicklySignClientCredentials,
  type QuicklySignCredentials,
  type QuicklySignState,
} from "./quicklysign.js";
import { signable, type SignableCredentials, type SignableState } from "./signable.js";

/**
 * The provider servers. Adding one: write `providers/<name>.ts` exporting a
 * `SandboxProvider`, and add it to the three lists below.
 */
export const providers = {
  signable,
  quicklysign,
  boldsign,
  docusign,
  "docusign-v2": docusignV2,
} as const;

export type ProviderName = keyof typeof providers;

/** What `sb.credentials` holds per provider: working options for its client. */
export interface SandboxCredentials {
  signable: SignableCredentials;
  quicklysign: QuicklySignClientCredentials;
  boldsign: BoldSignClientCredentials;
  docusign: DocuSignClientCredentials;
  "docusign-v2": DocuSignClientCredentials;
}

/** The credentials each sandbox accepts (what `startSandbox({ credentials })` may change). */
export interface AcceptedCredentials {
  signable: SignableCredentials;
  quicklysign: QuicklySignCredentials;
  boldsign: BoldSignCredentials;
  docusign: DocuSignCredentials;
  "docusign-v2": DocuSignCredentials;
}

export interface SandboxState {
  signable: SignableState;
  quicklysign: QuicklySignState;
  boldsign: BoldSignState;
  docusign: DocuSignState;
  "docusign-v2": DocuSignState;
}
