import spec from "../generated/signable.js";
import { parseBasic } from "../spec-provider.js";
import type { AuthOutcome, SandboxProvider, SandboxResponse } from "../types.js";
import type { Problem } from "../validate.js";

export interface SignableCredentials {
  /** The API key: the user name of HTTP Basic authentication (any password is accepted, the SDKs send `x`). */
  apiKey: string;
}

export interface SignableUser {
  id: number;
  teamId: number;
  name: string;
  email: string;
  added: Date;
  lastUpdated: Date | null;
}

export interface SignableState {
  users: Map<number, SignableUser>;
  nextId: number;
}

/** Signable's timestamp format: `2013-10-25T12:07:52+0000`. */
export function signableTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}+0000`;
}

const DEFAULT_TEAM = 1;

function error(status: number, message: string, code: string | number = 10000 + status): SandboxResponse {
  return { status, body: { http: status, code: Number(code), message } };
}

function notFoundUser(): SandboxResponse {
  return error(404, "The user does not exist. Have you used the correct user ID?", 10103);
}

/** Maps spec violations to the codes Signable uses for them. */
function invalid(problems: Problem[]): SandboxResponse {
  const first = problems[0] as Problem;
  if (first.in === "content-type") {
    return error(
      400,
      "Invalid Content Type. You have sent a POST request however you haven't set the Content Type to application/x-www-form-urlencoded",
      10007,
    );
  }
  if (first.in === "path") return notFoundUser();
  // "At least one of user_name and user_email" (the spec's x-esign-require-any) fails as an anyOf.
  if (problems.some((p) => p.keyword === "anyOf" && p.in === "body")) {
    return error(400, "The user name and email are missing. Please make sure at least one of them is provided.", 10104);
  }
  const fields = new Set(problems.map((p) => p.name));
  if (fields.has("user_email") && problems.some((p) => p.keyword === "required" && p.name === "user_email")) {
    return error(400, "The user email is missing. To be able to create a new user, you must provide an email address.", 10101);
  }
  if (problems.some((p) => p.keyword === "required" && p.name === "user_name")) {
    return error(400, "The user name is missing. To be able to create a new user, you must provide a name.", 10100);
  }
  if (first.in === "body" && first.name === undefined) {
    return error(400, "The user name and email are missing. Please make sure at least one of them is provided.", 10104);
  }
  return error(400, `Invalid request: ${problems.map((p) => p.message).join("; ")}`, 10000);
}

function userUrl(baseUrl: string, id: number): string {
  return `${baseUrl}/users/${id}`;
}

function listItem(user: SignableUser, baseUrl: string) {
  return {
    // The list sends ids as strings, the other endpoints as numbers: clients must take both.
    user_id: String(user.id),
    team_id: user.teamId,
    user_name: user.name,
    user_email: user.email,
    user_added: signableTime(user.added),
    user_last_updated: user.lastUpdated ? signableTime(user.lastUpdated) : null,
    href: userUrl(baseUrl, user.id),
  };
}

function findUser(state: SignableState, id: unknown): SignableUser | undefined {
  const n = Number(id);
  return Number.isInteger(n) ? state.users.get(n) : undefined;
}

function emailTaken(state: SignableState, email: string, except?: number): boolean {
  const wanted = email.toLowerCase();
  for (const u of state.users.values()) if (u.id !== except && u.email.toLowerCase() === wanted) return true;
  return false;
}

type Form = Record<string, string | undefined>;

export const signable: SandboxProvider<SignableState, SignableCredentials> = {
  name: "signable",
  spec,
  basePath: "/v1",
  defaultCredentials: () => ({ apiKey: "sandbox-signable-api-key" }),
  createState: () => ({ users: new Map(), nextId: 1001 }),
  authenticate(request, _operation, _state, credentials): AuthOutcome {
    const basic = parseBasic(request.headers.authorization);
    if (basic && basic.user === credentials.apiKey) return { ok: true };
    return {
      ok: false,
      response: error(401, "Authentication failed. Please enter the correct API Key and password.", 10002),
    };
  },
  error,
  invalid,
  notFound: () => error(404, "The URL you are looking for does not exist.", 10003),
  methodNotAllowed: () => error(405, "Invalid HTTP Method. Please use either GET, POST, PUT or DELETE", 10001),
  handlers: {
    listUsers({ state, params, baseUrl }) {
      const offset = Number(params.query.offset ?? 0);
      const limit = Number(params.query.limit ?? 10);
      const all = [...state.users.values()];
      const page = all.slice(offset, offset + limit);
      const body: Record<string, unknown> = {
        http: 200,
        offset,
        limit,
        total_users: String(all.length),
        users: page.map((u) => listItem(u, baseUrl)),
      };
      if (offset + limit < all.length) body.next = `${baseUrl}/users?offset=${offset + limit}&limit=${limit}`;
      return { status: 200, body };
    },
    createUser({ state, body, baseUrl }) {
      const form = body as Form;
      const email = form.user_email as string;
      if (emailTaken(state, email)) {
        return error(400, "Unable to add a new user as a user already exists with this email address.", 10110);
      }
      const user: SignableUser = {
        id: state.nextId++,
        teamId: form.team_id === undefined ? DEFAULT_TEAM : Number(form.team_id),
        name: form.user_name as string,
        email,
        added: new Date(),
        lastUpdated: null,
      };
      state.users.set(user.id, user);
      return {
        status: 200,
        body: {
          http: 200,
          message: "The user has been added",
          href: userUrl(baseUrl, user.id),
          user_id: user.id,
          team_id: user.teamId,
          user_name: user.name,
          user_email: user.email,
          user_added: signableTime(user.added),
        },
      };
    },
    getUser({ state, params }) {
      const user = findUser(state, params.path.user_id);
      if (!user) return notFoundUser();
      return {
        status: 200,
        body: {
          http: 200,
          user_id: user.id,
          team_id: user.teamId,
          user_name: user.name,
          user_email: user.email,
          user_added: signableTime(user.added),
          user_last_updated: user.lastUpdated ? signableTime(user.lastUpdated) : null,
        },
      };
    },
    updateUser({ state, params, body, baseUrl }) {
      const user = findUser(state, params.path.user_id);
      if (!user) return notFoundUser();
      const form = body as Form;
      if (form.user_name === undefined && form.user_email === undefined) {
        return error(400, "The user name and email are missing. Please make sure at least one of them is provided.", 10104);
      }
      if (form.user_email !== undefined && emailTaken(state, form.user_email, user.id)) {
        return error(400, "Unable to add a new user as a user already exists with this email address.", 10110);
      }
      const emailChanged = form.user_email !== undefined && form.user_email !== user.email;
      if (form.user_name !== undefined) user.name = form.user_name;
      if (form.user_email !== undefined) user.email = form.user_email;
      if (form.team_id !== undefined) user.teamId = Number(form.team_id);
      user.lastUpdated = new Date();
      return {
        status: 200,
        body: {
          http: 200,
          message: "The user has been updated",
          href: userUrl(baseUrl, user.id),
          user_id: String(user.id),
          team_id: user.teamId,
          user_name: user.name,
          user_email: user.email,
          user_password_changed: emailChanged,
          user_updated: signableTime(user.lastUpdated),
        },
      };
    },
    deleteUser({ state, params }) {
      const user = findUser(state, params.path.user_id);
      if (!user) return notFoundUser();
      state.users.delete(user.id);
      return {
        status: 200,
        body: {
          http: 200,
          message: "The user has been deleted",
          user_id: user.id,
          team_id: user.teamId,
          user_name: user.name,
          user_email: user.email,
        },
      };
    },
  },
};
