import { describe, expect, it } from "vitest";
import { ServerError } from "../src/index.js";
import { invite, useBoldSignSandbox } from "./helpers.js";

const { sb, client } = useBoldSignSandbox();

const OWNER = "owner@example.com";
const emails = (n: number, domain = "example.com") => Array.from({ length: n }, (_, i) => `user${i}@${domain}`);
const listRequests = (from: number) =>
  sb()
    .requests.slice(from)
    .map((r) => `${r.method} ${r.path}?${r.rawQuery}`);

describe("users.list", () => {
  it("walks three pages of Page/PageSize and stops after the short one", async () => {
    await invite(client(), sb(), ...emails(6)); // with the account owner: 7 users
    const start = sb().requests.length;
    const seen: string[] = [];
    for await (const user of client().users.list({ PageSize: 3 })) seen.push(user.email as string);
    expect(seen).toEqual([OWNER, ...emails(6)]);
    expect(listRequests(start)).toEqual([
      "GET /v1/users/list?Page=1&PageSize=3",
      "GET /v1/users/list?Page=2&PageSize=3",
      "GET /v1/users/list?Page=3&PageSize=3",
    ]);
  });

  it("needs one more request when the last page is exactly full, and stops on the empty one", async () => {
    await invite(client(), sb(), ...emails(5)); // 6 users
    const start = sb().requests.length;
    expect(await client().users.list({ PageSize: 3 }).toArray()).toHaveLength(6);
    expect(listRequests(start)).toEqual([
      "GET /v1/users/list?Page=1&PageSize=3",
      "GET /v1/users/list?Page=2&PageSize=3",
      "GET /v1/users/list?Page=3&PageSize=3",
    ]);
  });

  it("asks for 100 users a page unless told otherwise", async () => {
    const start = sb().requests.length;
    expect((await client().users.list().toArray()).map((u) => u.email)).toEqual([OWNER]);
    expect(listRequests(start)).toEqual(["GET /v1/users/list?Page=1&PageSize=100"]);
  });

  it("sends userIds as repeated UserId and search as Search", async () => {
    const [a, , b] = await invite(client(), sb(), "ada@example.com", "alan@example.org", "grace@example.com");
    const start = sb().requests.length;
    const picked = await client()
      .users.list({ PageSize: 2, UserId: [a as string, b as string] })
      .toArray();
    expect(picked.map((u) => u.userId)).toEqual([a, b]);
    const found = await client().users.list({ Search: "example.org" }).toArray();
    expect(found.map((u) => u.email)).toEqual(["alan@example.org"]);
    expect(listRequests(start)).toEqual([
      `GET /v1/users/list?Page=1&PageSize=2&UserId=${a}&UserId=${b}`,
      `GET /v1/users/list?Page=2&PageSize=2&UserId=${a}&UserId=${b}`,
      "GET /v1/users/list?Page=1&PageSize=100&Search=example.org",
    ]);
  });

  it("can be resumed from its cursor after a failed page", async () => {
    await invite(client(), sb(), ...emails(4)); // 5 users
    const list = client().users.list({ PageSize: 2 });
    const taken: string[] = [];
    const walk = async () => {
      for await (const items of list.pages()) {
        taken.push(...items.map((u) => u.email as string));
        sb().faults.next(1, { type: "status", status: 500 }, { operationId: "listUsers" });
      }
    };
    await expect(walk()).rejects.toBeInstanceOf(ServerError);
    // Page 1 was handed out whole; page 2 failed, so the cursor points at it.
    expect(taken).toEqual([OWNER, "user0@example.com"]);
    expect(list.cursor).toBe(2);
    const rest = await client().users.list({ PageSize: 2 }, { cursor: list.cursor }).toArray();
    expect([...taken, ...rest.map((u) => u.email)]).toEqual([OWNER, ...emails(4)]);
  });
});

describe("users.listPage", () => {
  it("returns one page as BoldSign sends it: pageDetails and result, no total", async () => {
    await invite(client(), sb(), ...emails(3));
    const page = await client().users.listPage({ Page: 2, PageSize: 2 });
    expect(page.pageDetails).toEqual({ page: 2, pageSize: 2 });
    expect(page.result?.map((u) => u.email)).toEqual(["user1@example.com", "user2@example.com"]);
    expect(Object.keys(page).sort()).toEqual(["pageDetails", "result"]);
    const beyond = await client().users.listPage({ Page: 9, PageSize: 2 });
    expect(beyond.result).toEqual([]);
  });
});
