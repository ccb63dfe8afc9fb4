import { boldsignAdapter } from "./adapters/boldsign.js";
import { docusignAdapter } from "./adapters/docusign.js";
import { dropboxsignAdapter } from "./adapters/dropboxsign.js";
import { quicklysignAdapter } from "./adapters/quicklysign.js";
import { signableAdapter } from "./adapters/signable.js";

/**
 * The providers the facade knows: the one place a provider is registered. Its name,
 * its options, its client type and what it cannot do are all read from here.
 */
export const adapters = {
  boldsign: boldsignAdapter,
  docusign: docusignAdapter,
  dropboxsign: dropboxsignAdapter,
  quicklysign: quicklysignAdapter,
  signable: signableAdapter,
} as const;
