import {
  createDropboxSignClient,
  type DropboxSignAccount,
  type DropboxSignClient,
  type DropboxSignClientOptions,
  type DropboxSignRole,
  type DropboxSignTeam,
  type DropboxSignTeamInvite,
} from "@esign-users/dropboxsign";
import { NotFoundError, paginate, type RequestOptions, ResponseFormatError } from "@esign-users/runtime";
import { defineAdapter, type ProviderAdapter, toDate } from "../adapter.js";
import type { Capabilities, User, UserRole } from "../types.js";

export const dropboxsignCapabilities = {
  create: {
    supported: true,
    meaning: "invites the person to your team (PUT /team/add_member): they are `invited` until they accept; Dropbox Sign keeps no names",
    fields: ["email", "role"],
    roles: ["admin", "teamAdmin", "member"],
    requires: [],
    sendsInvitation: true,
  },
  get: { supported: true, meaning: "a member or invitee of your team, by account id or email address", scope: "any user" },
  list: { supported: true, meaning: "your team's members and pending invitations (GET /team answers them all at once)", search: "directory", statusFilter: "directory" },
  update: { supported: false, meaning: "Dropbox Sign has no operation that changes a member (not the role, not the email)", fields: [] },
  remove: {
    supported: true,
    meaning: "removes the person from your team (a pending invitation is withdrawn); their Dropbox Sign account remains, outside this directory",
    effect: "removeFromTeam",
  },
  createMany: { supported: true, meaning: "one invitation per request (no bulk endpoint)", nativeBulk: false },
} as const satisfies Capabilities;

// Team members' roles are words (`role`, `new_role`, invitations); an account's
// `role_code` is one letter, of which the provider documents `a` and `m` only.
const ROLE_FROM_WORD: Record<string, UserRole> = { Admin: "admin", "Team Manager": "teamAdmin", Member: "member" };
const ROLE_FROM_CODE: Record<string, UserRole> = { a: "admin", m: "member" };
const ROLE_TO: Record<UserRole, DropboxSignRole> = { admin: "Admin", teamAdmin: "Team Manager", member: "Member" };

/** Someone in the team: an account (member or invited) or an address invited before it had an account. */
type Person = { account: DropboxSignAccount; invited: boolean } | { email: string; invited: true };

export function dropboxsignUser(person: Person, invite?: DropboxSignTeamInvite): User {
  const email = "account" in person ? person.account.email_address ?? "" : person.email;
  const roleCode = "account" in person ? person.account.role_code ?? undefined : undefined;
  return {
    // Dropbox Sign has no user id for an address invited before it had an account: the address is its id.
    id: "account" in person ? person.account.account_id ?? email : email,
    provider: "dropboxsign",
    email,
    // Dropbox Sign stores no names: the address is the name it shows.
    name: email,
    status: person.invited ? "invited" : "active",
    role: (invite?.role ? ROLE_FROM_WORD[invite.role] : undefined) ?? (roleCode ? ROLE_FROM_CODE[roleCode] : undefined),
    createdAt: invite ? toDate(invite.sent_at, "s") : undefined,
    raw: "account" in person ? person.account : { email_address: email, invite },
  };
}

/** The team of an answer that must carry one; anything else is not Dropbox Sign's format. */
function teamOf(answer: { team?: DropboxSignTeam } | undefined): DropboxSignTeam {
  const team = answer?.team;
  if (!team || typeof team !== "object") {
    throw new ResponseFormatError({ provider: "dropboxsign", message: "dropboxsign: the answer carries no team" });
  }
  return team;
}

/** Everyone in a team, members first, then invitations. */
function people(team: DropboxSignTeam): Person[] {
  return [
    ...(team.accounts ?? []).map((account) => ({ account, invited: false })),
    ...(team.invited_accounts ?? []).map((account) => ({ account, invited: true })),
    ...(team.invited_emails ?? []).map((email) => ({ email, invited: true as const })),
  ];
}

const emailOf = (person: Person) => ("account" in person ? person.account.email_address ?? "" : person.email).toLowerCase();
const sameId = (person: Person, id: string) =>
  ("account" in person && person.account.account_id === id) || emailOf(person) === id.toLowerCase();

export const dropboxsignAdapter = defineAdapter(
  dropboxsignCapabilities,
  (options: DropboxSignClientOptions): ProviderAdapter<DropboxSignClient> => {
    const client = createDropboxSignClient(options);

    // `role` is honoured only with `team_id` (the provider ignores it otherwise), so
    // invitations name the caller's team, read once.
    let teamId: Promise<string> | undefined;
    const ownTeamId = (requestOptions?: RequestOptions) => {
      teamId ??= client.team.info({}, requestOptions).then(
        ({ team }) => {
          if (!team?.team_id) throw new ResponseFormatError({ provider: "dropboxsign", message: "dropboxsign: /team/info gave no team_id" });
          return team.team_id;
        },
        (error: unknown) => {
          teamId = undefined;
          throw error;
        },
      );
      return teamId;
    };

    /** Invitations by address, for the role and date they were sent with. */
    async function invitations(requestOptions?: RequestOptions, email?: string): Promise<Map<string, DropboxSignTeamInvite>> {
      const { team_invites } = await client.team.invites(email ? { email_address: email } : {}, requestOptions);
      if (!Array.isArray(team_invites)) {
        throw new ResponseFormatError({ provider: "dropboxsign", message: "dropboxsign: the answer carries no team_invites" });
      }
      return new Map(team_invites.map((i) => [(i.email_address ?? "").toLowerCase(), i]));
    }

    async function findPerson(id: string, requestOptions?: RequestOptions): Promise<Person> {
      const team = teamOf(await client.team.get({}, requestOptions));
      const person = people(team).find((p) => sameId(p, id));
      if (!person) {
        throw new NotFoundError({
          provider: "dropboxsign",
          message: `dropboxsign: no member or invitee of your team has the account id or email address ${JSON.stringify(id)}`,
        });
      }
      return person;
    }

    /** The person as a user; an invited one's role and date are on the invitation, asked for by `email`. */
    async function userOf(person: Person, requestOptions?: RequestOptions, email = emailOf(person)): Promise<User> {
      const invite = person.invited ? (await invitations(requestOptions, email)).get(email.toLowerCase()) : undefined;
      return dropboxsignUser(person, invite);
    }

    return {
      provider: "dropboxsign",
      raw: client,
      capabilities: dropboxsignCapabilities,
      async create(input, requestOptions) {
        const team_id = await ownTeamId(requestOptions);
        const team = teamOf(
          await client.team.addMember({ team_id, email_address: input.email, ...(input.role ? { role: ROLE_TO[input.role] } : {}) }, requestOptions),
        );
        const person = people(team).find((p) => emailOf(p) === input.email.toLowerCase());
        if (!person) {
          throw new ResponseFormatError({
            provider: "dropboxsign",
            message: `dropboxsign accepted the invitation of ${input.email} but its team does not show it`,
          });
        }
        return userOf(person, requestOptions, input.email);
      },
      get: async (id, requestOptions) => userOf(await findPerson(id, requestOptions), requestOptions),
      async remove(id, requestOptions) {
        // Only the id and address are needed, which the team's answer has: no invitation lookup.
        const user = dropboxsignUser(await findPerson(id, requestOptions));
        await client.team.removeMember(
          user.id === user.email ? { email_address: user.email } : { account_id: user.id },
          requestOptions,
        );
      },
      list(_query, listOptions) {
        const { cursor: _cursor, ...requestOptions } = listOptions ?? {};
        // One page: the team's members and invitations come in one answer.
        return paginate(async () => {
          // One after the other: a failure leaves no request behind. Invitations are read only when there are any.
          const team = teamOf(await client.team.get({}, requestOptions));
          const everyone = people(team);
          const invites = everyone.some((p) => p.invited) ? await invitations(requestOptions) : new Map<string, DropboxSignTeamInvite>();
          const users = everyone.map((p) => dropboxsignUser(p, p.invited ? invites.get(emailOf(p)) : undefined));
          return { items: users, next: undefined };
        }, 1 as unknown);
      },
      // No refusal means "already there": inviting someone invited again re-sends the
      // invitation, and \`team_invite_failed\` also means "in another team". createMany
      // finds who is there already by listing the team first.
      isDuplicate: () => false,
    };
  },
);
