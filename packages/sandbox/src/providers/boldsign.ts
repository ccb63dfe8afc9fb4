import { createHash } from "node:crypto";
import spec from "../generated/boldsign.js";
import { bearerToken, headerValue } from "../spec-provider.js";
import type { AuthOutcome, HandlerContext, SandboxProvider, SandboxResponse } from "../types.js";
import type { Problem } from "../validate.js";

/** The credentials the BoldSign sandbox accepts. */
export interface BoldSignCredentials {
  /** Accepted in the `X-API-KEY` header. */
  apiKey: string;
  /** Accepted as `Authorization: Bearer <token>` (the scheme in any case: the official SDK sends `bearer`). */
  accessToken: string;
}

/** What `sb.credentials` holds: one credential, as the client takes exactly one (the OAuth token is `sb.otherCredentials.oauth`). */
export interface BoldSignClientCredentials {
  apiKey: string;
}

export type BoldSignRole = "Admin" | "TeamAdmin" | "Member";
/** What `userStatus` reads; `InvitationPending` until the invited person accepts. */
export type BoldSignStatus = "InvitationPending" | "Active" | "Deactivated";

export interface BoldSignTeam {
  id: string;
  name: string;
}

export interface BoldSignUser {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  teamId: string;
  role: BoldSignRole;
  status: BoldSignStatus;
  /** Unix seconds. */
  created: number;
  modified: number;
  metaData: Record<string, string | null> | null;
  /** Invitation emails sent so far (the first, then one per resend), so tests can see a resend happen. */
  invitationsSent: number;
}

export interface BoldSignState {
  users: Map<string, BoldSignUser>;
  teams: Map<string, BoldSignTeam>;
  defaultTeamId: string;
  /** The administrator who owns the sandbox's credentials; always active. */
  ownerId: string;
  nextUser: number;
}

const MAX_METADATA_PAIRS = 50;

/**
 * GUID-shaped ids like BoldSign's, derived from a counter so that every run of the
 * sandbox hands out the same ids in the same order.
 */
export function sandboxGuid(kind: string, n: number): string {
  const hex = createHash("sha256").update(`boldsign-sandbox:${kind}:${n}`).digest("hex");
  const variant = ((parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const now = () => Math.floor(Date.now() / 1000);

function error(status: number, message: string): SandboxResponse {
  return { status, body: { error: message } };
}

const userNotFound = () => error(404, "User not found.");
// BoldSign answers these with an empty 200; the length says so, rather than an empty chunked body.
const noBody = (): SandboxResponse => ({ status: 200, headers: { "Content-Length": "0" } });

function invalid(problems: Problem[]): SandboxResponse {
  const first = problems[0] as Problem;
  if (first.in === "content-type") return error(400, `Unsupported content type. ${first.message}.`);
  // The spec's "send userRole, userStatus or both" (x-esign-require-any) fails as an anyOf.
  if (problems.some((p) => p.keyword === "anyOf" && p.in === "body")) {
    return error(400, "Nothing to update: send userRole, userStatus or both.");
  }
  return error(400, `Invalid request: ${problems.map((p) => p.message).join("; ")}.`);
}

function createState(): BoldSignState {
  const defaultTeam: BoldSignTeam = { id: sandboxGuid("team", 1), name: "Default" };
  const research: BoldSignTeam = { id: sandboxGuid("team", 2), name: "Research" };
  const created = now();
  const owner: BoldSignUser = {
    id: sandboxGuid("user", 0),
    email: "owner@example.com",
    firstName: "Sandbox",
    lastName: "Owner",
    teamId: defaultTeam.id,
    role: "Admin",
    status: "Active",
    created,
    modified: created,
    metaData: null,
    invitationsSent: 0,
  };
  return {
    users: new Map([[owner.id, owner]]),
    teams: new Map([
      [defaultTeam.id, defaultTeam],
      [research.id, research],
    ]),
    defaultTeamId: defaultTeam.id,
    ownerId: owner.id,
    nextUser: 1,
  };
}

/** `UserProperties`: what `get` answers. */
function toUser(user: BoldSignUser, state: BoldSignState) {
  return {
    userId: user.id,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    teamId: user.teamId,
    teamName: state.teams.get(user.teamId)?.name ?? null,
    role: user.role,
    userStatus: user.status,
    createdDate: user.created,
    modifiedDate: user.modified,
    metaData: user.metaData,
  };
}

function findUser(state: BoldSignState, id: unknown): BoldSignUser | undefined {
  return typeof id === "string" ? state.users.get(id) : undefined;
}

function emailOwner(state: BoldSignState, email: string): BoldSignUser | undefined {
  const wanted = email.toLowerCase();
  for (const u of state.users.values()) if (u.email.toLowerCase() === wanted) return u;
  return undefined;
}

function matchesSearch(user: BoldSignUser, search: string): boolean {
  const needle = search.trim().toLowerCase();
  if (needle === "") return true;
  const name = [user.firstName, user.lastName].filter(Boolean).join(" ");
  return [user.email, name].some((field) => field.toLowerCase().includes(needle));
}

/** Resend and cancel act only on invitations still waiting for an answer. */
function refuseUnlessInvited(user: BoldSignUser): SandboxResponse | undefined {
  if (user.status === "InvitationPending") return undefined;
  const why = user.status === "Active" ? "has already accepted the invitation" : "is deactivated";
  return error(400, `The user ${user.email} ${why}; only pending invitations can be resent or cancelled.`);
}

interface NewUserBody {
  emailId: string;
  teamId?: string | null;
  userRole?: BoldSignRole;
  metaData?: Record<string, string | null> | null;
}

function createUsers({ state, body }: HandlerContext<BoldSignState>): SandboxResponse {
  const items = body as NewUserBody[];
  // All or nothing: every item is checked before the first user is added.
  const seen = new Set<string>();
  for (const [index, item] of items.entries()) {
    const email = item.emailId.toLowerCase();
    if (seen.has(email)) return error(400, `The email address ${item.emailId} appears more than once in the request.`);
    seen.add(email);
    if (emailOwner(state, item.emailId)) {
      return error(400, `A user with the email address ${item.emailId} already exists.`);
    }
    if (item.teamId != null && !state.teams.has(item.teamId)) {
      return error(400, `Invalid team ID ${item.teamId} for user ${index + 1}.`);
    }
  }
  for (const item of items) {
    const created = now();
    const metaData = item.metaData && Object.keys(item.metaData).length > 0 ? { ...item.metaData } : null;
    const user: BoldSignUser = {
      id: sandboxGuid("user", state.nextUser++),
      email: item.emailId,
      firstName: null,
      lastName: null,
      teamId: item.teamId ?? state.defaultTeamId,
      role: item.userRole ?? "Member",
      status: "InvitationPending",
      created,
      modified: created,
      metaData,
      invitationsSent: 1,
    };
    state.users.set(user.id, user);
  }
  return { status: 204 };
}

function listUsers({ state, params }: HandlerContext<BoldSignState>): SandboxResponse {
  const page = Number(params.query.Page);
  const pageSize = Number(params.query.PageSize ?? 10);
  const search = params.query.Search as string | undefined;
  const ids = params.query.UserId as string[] | undefined;
  const wanted = ids ? new Set(ids) : undefined;
  const matching = [...state.users.values()].filter(
    (u) => (!wanted || wanted.has(u.id)) && (search === undefined || matchesSearch(u, search)),
  );
  const slice = matching.slice((page - 1) * pageSize, page * pageSize);
  return {
    status: 200,
    body: { pageDetails: { page, pageSize }, result: slice.map((u) => toUser(u, state)) },
  };
}

interface UserChangeBody {
  userId: string;
  userRole?: BoldSignRole;
  userStatus?: "Activate" | "Deactivate";
  toUserId?: string | null;
}

function updateUser({ state, body }: HandlerContext<BoldSignState>): SandboxResponse {
  const change = body as UserChangeBody;
  const user = findUser(state, change.userId);
  if (!user) return userNotFound();
  if (change.toUserId != null) {
    const heir = findUser(state, change.toUserId);
    if (!heir || heir.id === user.id || heir.status !== "Active") {
      return error(400, "toUserId must be another active user of the organization.");
    }
  }
  // Setting the status a user already has is a no-op, so a repeated PUT stays harmless.
  if (change.userStatus === "Deactivate" && user.status === "InvitationPending") {
    return error(400, "A user who has not accepted the invitation cannot be deactivated; cancel the invitation instead.");
  }
  if (change.userStatus === "Activate" && user.status === "InvitationPending") {
    return error(400, "A user who has not accepted the invitation cannot be activated.");
  }
  if (change.userStatus === "Deactivate") user.status = "Deactivated";
  if (change.userStatus === "Activate") user.status = "Active";
  if (change.userRole !== undefined) user.role = change.userRole;
  user.modified = now();
  return noBody();
}

function updateUserMetadata({ state, body }: HandlerContext<BoldSignState>): SandboxResponse {
  const change = body as { userId: string; metaData: Record<string, string | null> };
  const user = findUser(state, change.userId);
  if (!user) return userNotFound();
  // The pairs sent are merged in; a null value removes its key.
  const merged: Record<string, string | null> = { ...user.metaData };
  for (const [key, value] of Object.entries(change.metaData)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  if (Object.keys(merged).length > MAX_METADATA_PAIRS) {
    return error(400, `A user can hold at most ${MAX_METADATA_PAIRS} metadata pairs.`);
  }
  user.metaData = Object.keys(merged).length > 0 ? merged : null;
  user.modified = now();
  return noBody();
}

function resendInvitation({ state, params }: HandlerContext<BoldSignState>): SandboxResponse {
  const user = findUser(state, params.query.UserId);
  if (!user) return userNotFound();
  const refused = refuseUnlessInvited(user);
  if (refused) return refused;
  user.invitationsSent++;
  return noBody();
}

function cancelInvitation({ state, params }: HandlerContext<BoldSignState>): SandboxResponse {
  const user = findUser(state, params.query.UserId);
  if (!user) return userNotFound();
  const refused = refuseUnlessInvited(user);
  if (refused) return refused;
  // A withdrawn invitation leaves nothing behind: the address can be invited again.
  state.users.delete(user.id);
  return noBody();
}

function changeTeam({ state, params, body }: HandlerContext<BoldSignState>): SandboxResponse {
  const change = body as { toTeamId: string; transferDocumentsToUserId?: string | null };
  const user = findUser(state, params.query.userId);
  if (!user) return userNotFound();
  if (!state.teams.has(change.toTeamId)) return error(400, `Invalid team ID ${change.toTeamId}.`);
  if (change.transferDocumentsToUserId != null) {
    const heir = findUser(state, change.transferDocumentsToUserId);
    if (!heir || heir.id === user.id) {
      return error(400, "transferDocumentsToUserId must be another user of the organization.");
    }
  }
  if (user.teamId !== change.toTeamId) {
    user.teamId = change.toTeamId;
    user.modified = now();
  }
  return noBody();
}

export const boldsign: SandboxProvider<BoldSignState, BoldSignCredentials, BoldSignClientCredentials> = {
  name: "boldsign",
  spec,
  // The API's paths start with /v1 themselves, so the sandbox's URL is its origin.
  basePath: "",
  defaultCredentials: () => ({
    apiKey: "sandbox-boldsign-api-key",
    accessToken: "sandbox-boldsign-access-token",
  }),
  clientCredentials: ({ apiKey }) => ({ apiKey }),
  otherCredentials: ({ accessToken }) => ({ oauth: { accessToken } }),
  createState,
  authenticate(request, _operation, _state, credentials): AuthOutcome {
    const apiKey = headerValue(request.headers["x-api-key"]);
    const authorization = headerValue(request.headers.authorization);
    const bearer = bearerToken(authorization);
    if ((apiKey !== undefined && apiKey === credentials.apiKey) || (bearer !== undefined && bearer === credentials.accessToken)) {
      return { ok: true };
    }
    const message =
      apiKey === undefined && authorization === undefined
        ? "Authentication is required: send an X-API-KEY header or an Authorization: Bearer token."
        : "Invalid API key or access token.";
    return { ok: false, response: error(401, message) };
  },
  error,
  invalid,
  notFound: () => error(404, "The requested resource does not exist."),
  methodNotAllowed: (_request, allowed) => error(405, `Method not allowed; use ${allowed.join(" or ")}.`),
  handlers: {
    createUsers,
    getUser({ state, params }) {
      const user = findUser(state, params.query.userId);
      return user ? { status: 200, body: toUser(user, state) } : userNotFound();
    },
    listUsers,
    updateUser,
    updateUserMetadata,
    resendInvitation,
    cancelInvitation,
    changeTeam,
  },
};
