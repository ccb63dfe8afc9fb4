import { type DocuSignState, NEVER, type StoredUser } from "./docusign-store.js";

export type DocuSignApiVersion = "v2" | "v2.1";

type Json = Record<string, unknown>;

/**
 * How one API version reads and writes the version-neutral user record. The
 * property lists come from the version's own spec, so a setting gets a
 * `…Metadata` companion exactly where that version's schema has one.
 */
export interface VersionView {
  version: DocuSignApiVersion;
  /** Applies the writable fields of a `userInformation` body. */
  applyUser(user: StoredUser, body: Json): void;
  /** Applies a settings body (`userSettingsInformation`). */
  applySettings(user: StoredUser, body: Json): void;
  user(state: DocuSignState, user: StoredUser, options?: UserViewOptions): Json;
  userInfo(state: DocuSignState, user: StoredUser): Json;
  settings(user: StoredUser): Json;
  profile(state: DocuSignState, user: StoredUser): Json;
  /** `/restapi/v2.1/accounts/…/users/…/profile/image` */
  imageUri(state: DocuSignState, user: StoredUser): string;
}

export interface UserViewOptions {
  /** Settings, custom settings and groups (GET /users/{id}, or a list with `additional_info=true`). */
  full?: boolean;
  loginStatus?: boolean;
  license?: boolean;
}

/** Objects among the settings; everything else is a string setting. */
const SETTING_GROUPS = [
  "accountManagementGranular",
  "senderEmailNotifications",
  "signerEmailNotifications",
  "localePolicy",
];

/** Fields of a user record that both versions store as sent. `company` and `isNAREnabled` are v2.1 only. */
const WRITABLE_FIELDS = [
  "countryCode",
  "enableConnectForUser",
  "firstName",
  "middleName",
  "lastName",
  "suffixName",
  "title",
  "jobTitle",
  "homeAddress",
  "workAddress",
  "sendActivationOnInvalidLogin",
  "subscribe",
];
const WRITABLE_V21_ONLY = ["company", "isNAREnabled"];

const PERMISSION_PROFILES: Record<string, string> = {
  "10000001": "DocuSign Viewer",
  "10000002": "DocuSign Sender",
  "10000003": "Account Administrator",
};
export const DEFAULT_PERMISSION_PROFILE = "10000002";

function schemaProperties(spec: Json, name: string): Set<string> {
  const schemas = (spec.components as Json | undefined)?.schemas as Json | undefined;
  const properties = (schemas?.[name] as Json | undefined)?.properties as Json | undefined;
  return new Set(Object.keys(properties ?? {}));
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The settings metadata DocuSign sends beside each setting: the sandbox lets the caller change everything. */
function metadataFor(value: string): Json {
  const flag = /^(true|false)$/i.test(value);
  return { rights: "editable", uiType: flag ? "Checkbox" : "ListOnly", uiOrder: "0", is21CFRPart11: "false" };
}

/** Copies a settings object's values, leaving out the read-only `…Metadata` companions. */
function withoutMetadata(value: Json): Json {
  return Object.fromEntries(Object.entries(value).filter(([k]) => !k.endsWith("Metadata")));
}

function withMetadata(values: Json, known: Set<string>): Json {
  const out: Json = {};
  for (const [name, value] of Object.entries(values)) {
    out[name] = value;
    if (typeof value === "string" && known.has(`${name}Metadata`)) out[`${name}Metadata`] = metadataFor(value);
  }
  return out;
}

function mergeGroup(user: StoredUser, name: string, value: unknown): void {
  if (!isObject(value)) return;
  user.settingGroups.set(name, { ...user.settingGroups.get(name), ...withoutMetadata(value) });
}

function applyNameValues(user: StoredUser, list: unknown): void {
  if (!Array.isArray(list)) return;
  for (const item of list) {
    if (isObject(item) && typeof item.name === "string" && typeof item.value === "string") {
      user.settings.set(item.name, item.value);
    }
  }
}

export function createView(version: DocuSignApiVersion, spec: Json): VersionView {
  const v21 = version === "v2.1";
  const settingsProps = schemaProperties(spec, "UserSettingsInformation");
  const granularProps = schemaProperties(spec, "UserAccountManagementGranularInformation");
  const writable = v21 ? [...WRITABLE_FIELDS, ...WRITABLE_V21_ONLY] : WRITABLE_FIELDS;

  const applySettings = (user: StoredUser, body: Json): void => {
    for (const group of SETTING_GROUPS) mergeGroup(user, group, body[group]);
    if (!v21) {
      applyNameValues(user, body.userSettings);
      return;
    }
    for (const [name, value] of Object.entries(body)) {
      if (typeof value === "string" && !name.endsWith("Metadata")) user.settings.set(name, value);
    }
  };

  const settings = (user: StoredUser): Json => {
    const groups: Json = {};
    for (const [name, value] of user.settingGroups) {
      groups[name] = name === "accountManagementGranular" ? withMetadata(value, granularProps) : value;
    }
    if (!v21) {
      const list = [...user.settings].map(([name, value]) => ({ name, value }));
      delete groups.localePolicy;
      return { ...groups, userSettings: list };
    }
    return { ...withMetadata(Object.fromEntries(user.settings), settingsProps), ...groups };
  };

  const imageUri = (state: DocuSignState, user: StoredUser) =>
    `/restapi/${version}/accounts/${state.accountId}/users/${user.userId}/profile/image`;

  const user = (state: DocuSignState, u: StoredUser, options: UserViewOptions = {}): Json => {
    const profileId = u.permissionProfileId;
    const out: Json = {
      userId: u.userId,
      userName: u.userName,
      userType: "CompanyUser",
      isAdmin: u.settings.get("canManageAccount") === "true" ? "True" : "False",
      userStatus: u.status,
      uri: `/users/${u.userId}`,
      email: u.email,
      createdDateTime: u.createdDateTime,
      ...u.details,
    };
    if (profileId !== undefined) {
      out.permissionProfileId = profileId;
      const name = PERMISSION_PROFILES[profileId];
      if (name) out.permissionProfileName = name;
    }
    if (v21) {
      out.userAddedToAccountDateTime = u.createdDateTime;
      out.defaultAccountId = state.accountId;
      out.hasRemoteNotary = false;
      out.isAlternateAdmin = "false";
    }
    if (u.image) out.profileImageUri = imageUri(state, u);
    if (options.loginStatus) {
      out.loginStatus = "false";
      out.lastLogin = NEVER;
    }
    if (options.license && v21) {
      out.licenseType = "eSignature";
      out.licenseStatus = u.status === "Closed" ? "inactive" : "active";
    }
    if (options.full) {
      out.userProfileLastModifiedDate = u.userProfileLastModifiedDate;
      const all = settings(u);
      if (v21) {
        out.userSettings = all;
      } else {
        out.userSettings = all.userSettings;
        if (all.accountManagementGranular) out.accountManagementGranular = all.accountManagementGranular;
      }
      out.customSettings = [...(u.customSettings.get("") ?? [])].map(([name, value]) => ({ name, value }));
      out.groupList = u.groupIds.map((groupId) => ({ groupId, groupType: "CustomGroup" }));
    }
    return out;
  };

  return {
    version,
    applyUser(u, body) {
      for (const field of writable) {
        if (body[field] !== undefined) u.details[field] = body[field];
      }
      if (typeof body.userName === "string" && body.userName.trim() !== "") u.userName = body.userName;
      if (typeof body.email === "string" && body.email.trim() !== "") u.email = body.email;
      if (typeof body.permissionProfileId === "string") u.permissionProfileId = body.permissionProfileId;
      if (Array.isArray(body.groupList)) {
        u.groupIds = body.groupList.flatMap((g) => (isObject(g) && typeof g.groupId === "string" ? [g.groupId] : []));
      }
      if (Array.isArray(body.customSettings)) {
        const group = u.customSettings.get("") ?? new Map<string, string>();
        for (const item of body.customSettings) {
          if (isObject(item) && typeof item.name === "string") group.set(item.name, String(item.value ?? ""));
        }
        u.customSettings.set("", group);
      }
      if (v21) {
        if (isObject(body.userSettings)) applySettings(u, body.userSettings);
      } else {
        applyNameValues(u, body.userSettings);
        mergeGroup(u, "accountManagementGranular", body.accountManagementGranular);
      }
    },
    applySettings,
    user,
    userInfo(state, u) {
      const out: Json = {
        userId: u.userId,
        userName: u.userName,
        email: u.email,
        userStatus: u.status,
        userType: "CompanyUser",
        uri: `/users/${u.userId}`,
      };
      if (v21) {
        out.accountId = state.accountId;
        out.membershipId = u.membershipId;
      }
      return out;
    },
    settings,
    profile(state, u) {
      // v2 counts usage with JSON integers, v2.1 with decimal strings.
      const count = (n: number) => (v21 ? String(n) : n);
      const out: Json = {
        displayOrganizationInfo: "false",
        displayPersonalInfo: "false",
        displayProfile: "true",
        displayUsageHistory: "false",
        authenticationMethods: [],
        usageHistory: { sentCount: count(0), signedCount: count(0) },
        ...u.profile,
        userDetails: user(state, u),
        userProfileLastModifiedDate: u.userProfileLastModifiedDate,
      };
      if (u.image) out.profileImageUri = imageUri(state, u);
      return out;
    },
    imageUri,
  };
}

/** Settings every new user starts with (DocuSign's defaults for a sender). */
export function defaultSettings(): { settings: Map<string, string>; groups: Map<string, Record<string, unknown>> } {
  return {
    settings: new Map([
      ["canSendEnvelope", "true"],
      ["canSignEnvelope", "true"],
      ["canManageAccount", "false"],
      ["canManageTemplates", "share"],
      ["apiAccountWideAccess", "false"],
      ["allowSendOnBehalfOf", "false"],
      ["bulkSend", "true"],
      ["locale", "en"],
      ["enableSignerAttachments", "true"],
      ["selfSignedRecipientEmailDocument", "include_pdf"],
    ]),
    groups: new Map<string, Record<string, unknown>>([
      ["accountManagementGranular", { canManageUsers: "false", canManageAdmins: "false", canViewUsers: "false" }],
      [
        "senderEmailNotifications",
        { envelopeComplete: "true", deliveryFailed: "true", senderEnvelopeDeclined: "true", changedSigner: "true" },
      ],
      ["signerEmailNotifications", { envelopeActivation: "true", envelopeComplete: "true", envelopeVoided: "true" }],
    ]),
  };
}

/** The name an ID card shows: the parts win over `userName` when any is sent (DocuSign's rule). */
export function nameFromParts(details: Json): string | undefined {
  const parts = ["firstName", "middleName", "lastName", "suffixName"]
    .map((k) => details[k])
    .filter((v): v is string => typeof v === "string" && v.trim() !== "");
  return parts.length > 0 ? parts.join(" ") : undefined;
}
