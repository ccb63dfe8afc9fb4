import { createHash } from "node:crypto";
import spec from "../generated/dropboxsign.js";
import { bearerToken, headerValue, specFacts } from "../spec-provider.js";
import type { AuthOutcome, Handler, HandlerContext, SandboxProvider, SandboxResponse } from "../types.js";
import type { Problem } from "../validate.js";

/** The credentials the DropboxSign sandbox accepts, by the client option that carries each. */
export interface DropboxSignCredentials {
  /** HTTP Basic: the API key as the user name, an empty password. */
  apiKey: string;
  /** `Authorization: Bearer`. */
  accessToken: string;
}

/** A team member's role, as the API spells it. */
export type DropboxSignRole = "Member" | "Developer" | "Team Manager" | "Admin";

export interface DropboxSignAccount {
  /** 40 lower-case hex characters. */
  accountId: string;
  email: string;
  /** The team the account is a member of (not one it is only invited to). */
  teamId: string | null;
  role: DropboxSignRole | null;
  locale: string | null;
  callbackUrl: string | null;
  isLocked: boolean;
  isPaid: boolean;
  /** Orders a team's members by when they joined. */
  joined: number;
}

export interface DropboxSignTeam {
  teamId: string;
  name: string;
  /** The parent team of a sub-team; null for a top-level team. */
  parentId: string | null;
}

export interface DropboxSignInvite {
  accountId: string;
  email: string;
  teamId: string;
  role: DropboxSignRole;
  /** Unix seconds, like the three below. */
  sentAt: number;
  expiresAt: number;
  redeemedAt: number | null;
  /** Whether the address had no account when invited: the team lists it under `invited_emails`, not `invited_accounts`. */
  byEmail: boolean;
}

export interface DropboxSignState {
  /** Every account, by account id. */
  accounts: Map<string, DropboxSignAccount>;
  teams: Map<string, DropboxSignTeam>;
  /** Pending and redeemed invitations; a withdrawn one is removed. */
  invites: DropboxSignInvite[];
  /** The account the sandbox's API key and access token belong to. */
  callerId: string;
  /** Access tokens handed out by `POST /account/create` with an app's credentials, to the account each acts for. */
  tokens: Map<string, string>;
  /** Requests counted towards each account's rate-limit window. */
  rate: Map<string, { windowStart: number; used: number }>;
  serial: number;
}

const facts = specFacts(spec);
const specJson = spec as {
  "x-esign-provider"?: { rateLimit?: { requests?: number; intervalMs?: number } };
  components?: { parameters?: Record<string, { schema?: { default?: number } }> };
};
const RATE = { requests: 100, intervalMs: 60_000, ...specJson["x-esign-provider"]?.rateLimit };
const PAGE_DEFAULT = specJson.components?.parameters?.Page?.schema?.default ?? 1;
const PAGE_SIZE_DEFAULT = specJson.components?.parameters?.PageSize?.schema?.default ?? 20;
const INVITE_LIFETIME_S = 30 * 24 * 3600;

/**
 * `role_code` is one letter; the API's examples show `a` (Admin) and `m` (Member).
 * The letters for the other two roles are the sandbox's choice.
 */
const ROLE_CODES: Record<DropboxSignRole, string> = { Admin: "a", "Team Manager": "t", Developer: "d", Member: "m" };
const MANAGERS: readonly DropboxSignRole[] = ["Admin", "Team Manager"];

const ERROR_NAMES: Record<number, string> = {
  400: "bad_request",
  401: "unauthorized",
  402: "payment_required",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  429: "exceeded_rate",
};

const now = () => Math.floor(Date.now() / 1000);

/** A 40-hex id like Dropbox Sign's, from a counter, so every run hands out the same ids in the same order. */
function dropboxSignId(kind: string, n: number): string {
  return createHash("sha1").update(`dropboxsign-sandbox:${kind}:${n}`).digest("hex");
}

function error(status: number, message: string, name?: string | number, path?: string): SandboxResponse {
  const body = facts.errorBody(message, name ?? ERROR_NAMES[status] ?? (status >= 500 ? "internal_error" : "bad_request"));
  if (path !== undefined) (body as { error: Record<string, string> }).error.error_path = path;
  return { status, body };
}

/** A request the spec forbids: `bad_request`, naming the field when there is one. */
function invalid(problems: Problem[]): SandboxResponse {
  const first = problems[0];
  return error(400, problems.map((p) => p.message).join("; "), "bad_request", first?.name);
}

function createState(): DropboxSignState {
  const state: DropboxSignState = {
    accounts: new Map(),
    teams: new Map(),
    invites: [],
    callerId: "",
    tokens: new Map(),
    rate: new Map(),
    serial: 0,
  };
  const team = addTeam(state, "Sandbox Team", null);
  for (const name of ["Legal", "Sales", "Support"]) addTeam(state, name, team.teamId);
  const caller = addAccount(state, "owner@example.com", "en-US");
  Object.assign(caller, { teamId: team.teamId, role: "Admin", isPaid: true });
  state.callerId = caller.accountId;
  return state;
}

function addTeam(state: DropboxSignState, name: string, parentId: string | null): DropboxSignTeam {
  const team = { teamId: dropboxSignId("team", ++state.serial), name, parentId };
  state.teams.set(team.teamId, team);
  return team;
}

function addAccount(state: DropboxSignState, email: string, locale: string | null): DropboxSignAccount {
  const n = ++state.serial;
  const account: DropboxSignAccount = {
    accountId: dropboxSignId("account", n),
    email,
    teamId: null,
    role: null,
    locale,
    callbackUrl: null,
    isLocked: false,
    isPaid: false,
    joined: n,
  };
  state.accounts.set(account.accountId, account);
  return account;
}

function byEmail(state: DropboxSignState, email: string): DropboxSignAccount | undefined {
  const wanted = email.toLowerCase();
  for (const a of state.accounts.values()) if (a.email.toLowerCase() === wanted) return a;
  return undefined;
}

/** The account named by `account_id`, else by `email_address` (the id wins when both are given). */
function named(state: DropboxSignState, from: { account_id?: unknown; email_address?: unknown }): DropboxSignAccount | undefined {
  if (typeof from.account_id === "string" && from.account_id !== "") return state.accounts.get(from.account_id);
  return typeof from.email_address === "string" ? byEmail(state, from.email_address) : undefined;
}

function toAccount(a: DropboxSignAccount) {
  return {
    account_id: a.accountId,
    email_address: a.email,
    is_locked: a.isLocked,
    is_paid_hs: a.isPaid,
    is_paid_hf: false,
    quotas: a.isPaid
      ? { api_signature_requests_left: 250, documents_left: null, templates_total: 5, templates_left: 5, sms_verifications_left: 10, num_fax_pages_left: 0 }
      : { api_signature_requests_left: 0, documents_left: 3, templates_total: 0, templates_left: 0, sms_verifications_left: 0, num_fax_pages_left: 0 },
    callback_url: a.callbackUrl,
    role_code: a.role ? ROLE_CODES[a.role] : null,
    team_id: a.teamId,
    locale: a.locale,
    usage: { fax_pages_sent: 0 },
    settings: { signer_access_codes: false, sms_delivery: false, sms_authentication: false },
  };
}

const membersOf = (state: DropboxSignState, teamId: string) =>
  [...state.accounts.values()].filter((a) => a.teamId === teamId).sort((a, b) => a.joined - b.joined);
const pendingFor = (state: DropboxSignState, teamId: string) => state.invites.filter((i) => i.teamId === teamId && i.redeemedAt === null);
const subTeamsOf = (state: DropboxSignState, teamId: string) => [...state.teams.values()].filter((t) => t.parentId === teamId);

/** `{ team }` as GET /team and every team change answer it. */
function teamBody(state: DropboxSignState, team: DropboxSignTeam) {
  const pending = pendingFor(state, team.teamId);
  const invited = pending.filter((i) => !i.byEmail).map((i) => state.accounts.get(i.accountId));
  return {
    team: {
      name: team.name,
      accounts: membersOf(state, team.teamId).map(toAccount),
      invited_accounts: invited.filter((a) => a !== undefined).map(toAccount),
      invited_emails: pending.filter((i) => i.byEmail).map((i) => i.email),
    },
  };
}

function rootOf(state: DropboxSignState, teamId: string): string {
  let team = state.teams.get(teamId);
  for (let depth = 0; team?.parentId && depth < 100; depth++) team = state.teams.get(team.parentId);
  return team?.teamId ?? teamId;
}

/** A team and every team below it. */
function treeOf(state: DropboxSignState, teamId: string): string[] {
  const out = [teamId];
  for (let i = 0; i < out.length; i++) out.push(...subTeamsOf(state, out[i] as string).map((t) => t.teamId));
  return out;
}

type Ctx = HandlerContext<DropboxSignState>;
type Body = Record<string, string | null | undefined>;

const callerOf = ({ state, principal }: Ctx) => state.accounts.get(principal as string) as DropboxSignAccount;
const noTeam = () => error(404, "The account is not a member of a team.");

/**
 * The team a request names by `team_id` (or the caller's): not_found when there is
 * none, forbidden when it belongs to another organisation than the caller's team.
 */
function reachableTeam(ctx: Ctx, teamId: unknown): DropboxSignTeam | SandboxResponse {
  const { state } = ctx;
  const caller = callerOf(ctx);
  if (teamId === undefined) return (caller.teamId && state.teams.get(caller.teamId)) || noTeam();
  const team = state.teams.get(String(teamId));
  if (!team) return error(404, "No team has that team_id.");
  if (!caller.teamId || rootOf(state, caller.teamId) !== rootOf(state, team.teamId)) {
    return error(403, "That team is not part of your organisation.");
  }
  return team;
}

const isResponse = (x: unknown): x is SandboxResponse => typeof (x as SandboxResponse).status === "number";

/** The caller's team, when the caller may manage it (Admin or Team Manager; `adminOnly`: Admin). */
function managedTeam(ctx: Ctx, adminOnly = false): DropboxSignTeam | SandboxResponse {
  const caller = callerOf(ctx);
  const team = caller.teamId ? ctx.state.teams.get(caller.teamId) : undefined;
  if (!team) return noTeam();
  const allowed = adminOnly ? caller.role === "Admin" : caller.role !== null && MANAGERS.includes(caller.role);
  return allowed ? team : error(403, `Your role (${caller.role}) cannot change the team.`);
}

function paged<T>(ctx: Ctx, items: T[]): { items: T[]; list_info: Record<string, number> } {
  const page = Number(ctx.params.query.page ?? PAGE_DEFAULT);
  const pageSize = Number(ctx.params.query.page_size ?? PAGE_SIZE_DEFAULT);
  return {
    items: items.slice((page - 1) * pageSize, page * pageSize),
    list_info: { page, num_pages: Math.ceil(items.length / pageSize), num_results: items.length, page_size: pageSize },
  };
}

const handlers: Record<string, Handler<DropboxSignState>> = {
  accountGet(ctx) {
    const { account_id, email_address } = ctx.params.query;
    const account = account_id === undefined && email_address === undefined ? callerOf(ctx) : named(ctx.state, ctx.params.query);
    return account ? { status: 200, body: { account: toAccount(account) } } : error(404, "No account matches.");
  },

  accountUpdate(ctx) {
    const body = ctx.body as Body;
    const caller = callerOf(ctx);
    if (body.account_id != null && body.account_id !== caller.accountId) {
      return error(403, "Only your own account can be updated.", undefined, "account_id");
    }
    if (body.callback_url !== undefined) caller.callbackUrl = body.callback_url || null;
    if (body.locale !== undefined) caller.locale = body.locale || null;
    return { status: 200, body: { account: toAccount(caller) } };
  },

  accountCreate({ state, body: raw }) {
    const body = raw as Body;
    const email = body.email_address as string;
    if (byEmail(state, email)) return error(400, "An account already exists for that email address.", undefined, "email_address");
    const oauth = Boolean(body.client_id) || Boolean(body.client_secret);
    if (oauth && !(body.client_id && body.client_secret)) {
      return error(400, "client_id and client_secret go together.", undefined, body.client_id ? "client_secret" : "client_id");
    }
    const account = addAccount(state, email, body.locale ?? "en-US");
    const answer: Record<string, unknown> = { account: toAccount(account) };
    if (oauth) {
      const accessToken = Buffer.from(dropboxSignId("access-token", state.serial)).toString("base64");
      state.tokens.set(accessToken, account.accountId);
      answer.oauth_data = {
        access_token: accessToken,
        token_type: "Bearer",
        refresh_token: dropboxSignId("refresh-token", state.serial),
        expires_in: 86_400,
        state: null,
      };
    }
    return { status: 200, body: answer };
  },

  accountVerify({ state, body }) {
    const account = byEmail(state, (body as Body).email_address as string);
    // An unknown address is not an error: the answer is simply empty.
    return { status: 200, body: account ? { account: { email_address: account.email } } : {} };
  },

  teamGet(ctx) {
    const team = reachableTeam(ctx, undefined);
    return isResponse(team) ? team : { status: 200, body: teamBody(ctx.state, team) };
  },

  teamUpdate(ctx) {
    const team = managedTeam(ctx, true);
    if (isResponse(team)) return team;
    const name = (ctx.body as Body).name;
    if (name != null) {
      if (name.trim() === "") return error(400, "A team's name cannot be blank.", undefined, "name");
      team.name = name;
    }
    return { status: 200, body: teamBody(ctx.state, team) };
  },

  teamCreate(ctx) {
    const caller = callerOf(ctx);
    if (caller.teamId) return error(400, "You already belong to a team.");
    const name = (ctx.body as Body | undefined)?.name;
    const team = addTeam(ctx.state, name?.trim() ? name : "Untitled Team", null);
    Object.assign(caller, { teamId: team.teamId, role: "Admin", joined: ++ctx.state.serial });
    return { status: 200, body: teamBody(ctx.state, team) };
  },

  teamDelete(ctx) {
    const team = managedTeam(ctx, true);
    if (isResponse(team)) return team;
    const tree = new Set(treeOf(ctx.state, team.teamId));
    const caller = callerOf(ctx);
    // Sub-teams go with their team, so nobody may be left in one.
    if ([...ctx.state.accounts.values()].some((a) => a !== caller && a.teamId !== null && tree.has(a.teamId))) {
      return error(403, "Only a team whose one member is you can be deleted; remove the other members first.");
    }
    for (const id of tree) ctx.state.teams.delete(id);
    ctx.state.invites = ctx.state.invites.filter((i) => !(tree.has(i.teamId) && i.redeemedAt === null));
    Object.assign(caller, { teamId: null, role: null });
    // Dropbox Sign answers 200 with no body; the length says so, rather than an empty chunked body.
    return { status: 200, headers: { "Content-Length": "0" } };
  },

  teamInfo(ctx) {
    const team = reachableTeam(ctx, ctx.params.query.team_id);
    if (isResponse(team)) return team;
    const parent = team.parentId ? ctx.state.teams.get(team.parentId) : undefined;
    return {
      status: 200,
      body: {
        team: {
          team_id: team.teamId,
          team_parent: parent ? { team_id: parent.teamId, name: parent.name } : null,
          name: team.name,
          num_members: membersOf(ctx.state, team.teamId).length,
          num_sub_teams: subTeamsOf(ctx.state, team.teamId).length,
        },
      },
    };
  },

  teamInvites(ctx) {
    const email = String(ctx.params.query.email_address ?? callerOf(ctx).email).toLowerCase();
    const invites = ctx.state.invites.filter((i) => i.email.toLowerCase() === email);
    return {
      status: 200,
      body: {
        team_invites: invites.map((i) => ({
          email_address: i.email,
          team_id: i.teamId,
          role: i.role,
          sent_at: i.sentAt,
          redeemed_at: i.redeemedAt,
          expires_at: i.expiresAt,
        })),
      },
    };
  },

  teamMembers(ctx) {
    const team = reachableTeam(ctx, ctx.params.path.team_id);
    if (isResponse(team)) return team;
    const members = membersOf(ctx.state, team.teamId).map((a) => ({ account_id: a.accountId, email_address: a.email, role: a.role }));
    const { items, list_info } = paged(ctx, members);
    return { status: 200, body: { team_members: items, list_info } };
  },

  teamSubTeams(ctx) {
    const team = reachableTeam(ctx, ctx.params.path.team_id);
    if (isResponse(team)) return team;
    const { items, list_info } = paged(ctx, subTeamsOf(ctx.state, team.teamId).map((t) => ({ team_id: t.teamId, name: t.name })));
    return { status: 200, body: { sub_teams: items, list_info } };
  },

  teamAddMember(ctx) {
    const { state } = ctx;
    const body = ctx.body as Body;
    const teamIdParam = ctx.params.query.team_id;
    const managed = managedTeam(ctx);
    if (isResponse(managed)) return managed;
    const team = teamIdParam === undefined ? managed : reachableTeam(ctx, teamIdParam);
    if (isResponse(team)) return team;
    let account = named(state, body);
    const unknownAddress = !account && !body.account_id;
    if (!account && !unknownAddress) return error(404, "No account has that account_id.", undefined, "account_id");
    // An address with no account yet gets one, and is listed under invited_emails.
    account ??= addAccount(state, body.email_address as string, null);
    if (account.teamId === team.teamId) return error(400, `${account.email} is already a member of this team.`, "team_invite_failed");
    if (account.teamId) return error(400, `${account.email} already belongs to another team.`, "team_invite_failed");
    // `role` counts only together with `team_id`.
    const role = teamIdParam === undefined ? "Member" : ((body.role as DropboxSignRole | undefined) ?? "Member");
    const sentAt = now();
    const existing = state.invites.find((i) => i.accountId === account.accountId && i.teamId === team.teamId && i.redeemedAt === null);
    if (existing) Object.assign(existing, { role, sentAt, expiresAt: sentAt + INVITE_LIFETIME_S });
    else {
      state.invites.push({
        accountId: account.accountId,
        email: account.email,
        teamId: team.teamId,
        role,
        sentAt,
        expiresAt: sentAt + INVITE_LIFETIME_S,
        redeemedAt: null,
        byEmail: unknownAddress,
      });
    }
    return { status: 200, body: teamBody(state, team) };
  },

  teamRemoveMember(ctx) {
    const { state } = ctx;
    const body = ctx.body as Body;
    const managed = managedTeam(ctx);
    if (isResponse(managed)) return managed;
    const account = named(state, body);
    if (!account) return error(404, "No account matches.", undefined, body.account_id ? "account_id" : "email_address");
    if (account.accountId === ctx.principal) {
      return error(403, "You cannot remove yourself; delete the team instead.");
    }
    const org = rootOf(state, managed.teamId);
    const inOrg = (teamId: string | null) => teamId !== null && state.teams.has(teamId) && rootOf(state, teamId) === org;
    const invite = state.invites.find((i) => i.accountId === account.accountId && i.redeemedAt === null && inOrg(i.teamId));
    const fromId = inOrg(account.teamId) ? account.teamId : invite?.teamId;
    const from = fromId ? state.teams.get(fromId) : undefined;
    if (!from) return error(404, `${account.email} is neither a member of your team nor invited to it.`);

    if (account.teamId === from.teamId) {
      if (body.new_owner_email_address != null) {
        const heir = byEmail(state, body.new_owner_email_address);
        if (!heir || heir === account || !inOrg(heir.teamId)) {
          return error(400, "new_owner_email_address must be another member of the team.", undefined, "new_owner_email_address");
        }
      }
      let moveTo: DropboxSignTeam | undefined;
      if (body.new_team_id != null) {
        const target = reachableTeam(ctx, body.new_team_id);
        if (isResponse(target)) return target;
        moveTo = target;
      }
      Object.assign(
        account,
        moveTo
          ? { teamId: moveTo.teamId, role: (body.new_role as DropboxSignRole | undefined) ?? "Member", joined: ++state.serial }
          : { teamId: null, role: null },
      );
    }
    // An outstanding invitation to the team is withdrawn.
    state.invites = state.invites.filter((i) => !(i.accountId === account.accountId && i.teamId === from.teamId && i.redeemedAt === null));
    // The only success status the API documents: the removal (and any hand-over) is queued.
    return { status: 201, body: teamBody(state, from) };
  },
};

/** Counts a request in the calling account's window and says so in the three rate-limit headers. */
function rateHeaders(state: DropboxSignState, accountId: string): Record<string, string> {
  const clock = Date.now();
  let window = state.rate.get(accountId);
  if (!window || clock >= window.windowStart + RATE.intervalMs) {
    window = { windowStart: clock, used: 0 };
    state.rate.set(accountId, window);
  }
  window.used++;
  return {
    "X-RateLimit-Limit": String(RATE.requests),
    "X-RateLimit-Remaining": String(Math.max(0, RATE.requests - window.used)),
    "X-Ratelimit-Reset": String(Math.ceil((window.windowStart + RATE.intervalMs) / 1000)),
  };
}

/** Every success carries the rate-limit headers the spec declares. */
function withRateHeaders(handler: Handler<DropboxSignState>): Handler<DropboxSignState> {
  return async (ctx) => {
    const response = await handler(ctx);
    if (response.status < 200 || response.status > 299) return response;
    return { ...response, headers: { ...response.headers, ...rateHeaders(ctx.state, ctx.principal as string) } };
  };
}

/**
 * Accepts a pending invitation, as the invited person would by following the
 * invitation email: the account (named by account id or email address) becomes a
 * member of the team with the invitation's role, and the invitation is redeemed.
 * With several pending invitations, `teamId` picks one (default: the latest).
 * Throws when there is no such invitation, it expired, or the account is already on a team.
 */
export function acceptDropboxSignInvite(state: DropboxSignState, emailOrAccountId: string, teamId?: string): DropboxSignAccount {
  const account = state.accounts.get(emailOrAccountId) ?? byEmail(state, emailOrAccountId);
  if (!account) throw new Error(`acceptDropboxSignInvite: no account ${JSON.stringify(emailOrAccountId)}`);
  const invite = state.invites
    .filter((i) => i.accountId === account.accountId && i.redeemedAt === null && (teamId === undefined || i.teamId === teamId))
    .at(-1);
  if (!invite) throw new Error(`acceptDropboxSignInvite: ${account.email} has no pending invitation${teamId ? ` to team ${teamId}` : ""}`);
  if (account.teamId) throw new Error(`acceptDropboxSignInvite: ${account.email} already belongs to a team`);
  const at = now();
  if (invite.expiresAt < at) throw new Error(`acceptDropboxSignInvite: the invitation to ${account.email} has expired`);
  Object.assign(account, { teamId: invite.teamId, role: invite.role, joined: ++state.serial });
  invite.redeemedAt = at;
  return account;
}

/**
 * The Dropbox Sign sandbox: accounts, one team (with sub-teams) for the caller,
 * invitations. Credentials, the error shape, the base path, paging defaults and
 * the rate limit come from the spec.
 */
export const dropboxsign: SandboxProvider<DropboxSignState, DropboxSignCredentials> = {
  name: "dropboxsign",
  spec,
  basePath: facts.basePath,
  defaultCredentials: () => ({ apiKey: "sandbox-dropboxsign-api-key", accessToken: "sandbox-dropboxsign-access-token" }),
  createState,
  authenticate(request, operation, state, credentials): AuthOutcome {
    if (facts.authenticate(request, operation, credentials as unknown as Record<string, string>)) {
      return { ok: true, principal: state.callerId };
    }
    // A token from the OAuth account-creation flow acts for the account it was issued to.
    const token = bearerToken(headerValue(request.headers.authorization));
    const issuedTo = token === undefined ? undefined : state.tokens.get(token);
    if (token && issuedTo && state.accounts.has(issuedTo) && facts.authenticate(request, operation, { accessToken: token })) {
      return { ok: true, principal: issuedTo };
    }
    const message = request.headers.authorization ? "The API key or access token is not valid." : "No credentials were sent.";
    return { ok: false, response: error(401, message) };
  },
  error,
  invalid,
  notFound: () => error(404, "No such endpoint."),
  handlers: Object.fromEntries(Object.entries(handlers).map(([id, handler]) => [id, withRateHeaders(handler)])),
};
