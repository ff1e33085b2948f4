// Accounts and the audit log on the admin page: disable/enable and staff on their endpoint, not on
// yourself; sign-up opened and closed; the server's refusal (the last administrator) in the app's
// words; the audit's who, what, when and override reasons, newest first, older pages on request.
import { act, fireEvent, render, screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { json, serveApi } from "../testing/adminWire";
import { installFakeSocket } from "../testing/fakeSocket";
import { userOut } from "../testing/wire";
import AdminPage from "./AdminPage";
import type { AdminUserOut, AuditEntryOut } from "../contract";

const staff = userOut({ username: "root", is_staff: true, id: "u-root" });

function adminUser(fields: Partial<AdminUserOut> & Pick<AdminUserOut, "id" | "username">): AdminUserOut {
  return { email: `${fields.username}@example.com`, is_staff: false, disabled: false, exclude_from_training: false, created_at: "2026-01-01T00:00:00Z", conversations: 0, ...fields };
}

function entry(fields: Partial<AuditEntryOut> & Pick<AuditEntryOut, "id" | "action">): AuditEntryOut {
  return { at: "2026-01-02T10:00:00Z", actor: "root", target: "", details: {}, reason: null, ...fields };
}

const me = adminUser({ id: "u-root", username: "root", is_staff: true, conversations: 4 });
const amina = adminUser({ id: "u-amina", username: "أمينة", conversations: 1, exclude_from_training: true });
const other = adminUser({ id: "u-bilal", username: "bilal", is_staff: true });

installFakeSocket();

function mount(path: string, routes: Parameters<typeof serveApi>[0]) {
  const api = serveApi(routes);
  window.history.pushState(null, "", path);
  render(<AdminPage user={staff} onBack={vi.fn()} onSignedOut={vi.fn()} />);
  return api;
}

const row = (id: string) => document.querySelector(`tr[data-user-id="${id}"]`) as HTMLElement;

describe("users", () => {
  it("disables an account and grants staff on its own endpoint, never offers either on yourself, and closes sign-up", async () => {
    let stored = amina;
    const api = mount("/admin/users", {
      "GET /api/admin/users": () => json({ users: [me, amina, other], next_cursor: null }),
      "GET /api/admin/settings": () => json({ signup_open: true }),
      "PATCH /api/admin/users/u-amina": (body) => json((stored = { ...stored, ...(body as object) })),
      "PATCH /api/admin/settings": (body) => json(body),
    });
    await screen.findByText("أمينة");
    expect(within(row("u-root")).queryByRole("button")).toBeNull();
    expect(row("u-amina").textContent).toContain("Keeps their conversations out of training");
    expect(within(row("u-amina")).getByText("أمينة").getAttribute("dir")).toBe("auto");

    vi.spyOn(window, "confirm").mockReturnValue(true);
    await act(async () => fireEvent.click(within(row("u-amina")).getByRole("button", { name: "Disable" })));
    await act(async () => fireEvent.click(within(row("u-amina")).getByRole("button", { name: "Make administrator" })));
    const patches = api.calls.filter((c) => c.method === "PATCH");
    expect(patches).toEqual([
      { method: "PATCH", path: "/api/admin/users/u-amina", body: { disabled: true } },
      { method: "PATCH", path: "/api/admin/users/u-amina", body: { is_staff: true } },
    ]);
    expect(row("u-amina").textContent).toContain("Disabled");
    expect(within(row("u-amina")).getByRole("button", { name: "Enable" })).toBeTruthy();

    expect(screen.getByText("Anyone can sign up.")).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Close sign-up" })));
    expect(api.calls.at(-1)).toEqual({ method: "PATCH", path: "/api/admin/settings", body: { signup_open: false } });
    expect(screen.getByText("Sign-up is closed: only existing accounts can sign in.")).toBeTruthy();
  });

  it("says in the app's words why the server refused (the last administrator)", async () => {
    mount("/admin/users", {
      "GET /api/admin/users": () => json({ users: [me, other], next_cursor: null }),
      "GET /api/admin/settings": () => json({ signup_open: false }),
      "PATCH /api/admin/users/u-bilal": () => json({ error: { code: "last_staff", message: "u-bilal is the last staff", params: {} } }, 409),
    });
    await screen.findByText("bilal");
    await act(async () => fireEvent.click(within(row("u-bilal")).getByRole("button", { name: "Remove administrator" })));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("This is the last administrator. Make another account an administrator first");
  });

  it("offers each account's data as a download from its own endpoint, yours included (a data request)", async () => {
    mount("/admin/users", {
      "GET /api/admin/users": () => json({ users: [me, amina], next_cursor: null }),
      "GET /api/admin/settings": () => json({ signup_open: true }),
    });
    await screen.findByText("أمينة");
    for (const [id, name] of [["u-amina", "أمينة"], ["u-root", "root"]]) {
      const link = within(row(id)).getByRole("link", { name: "Download data" });
      expect(link.getAttribute("href")).toBe(`/api/admin/users/${id}/export`);
      expect(link.hasAttribute("download")).toBe(true);
      expect(link.getAttribute("title")).toContain(name);
    }
  });
});

describe("audit", () => {
  it("lists who did what, when, and the override reason, and loads older entries on request", async () => {
    const api = mount("/admin/audit", {
      "GET /api/admin/audit": (_b, url) =>
        url.searchParams.get("before")
          ? json({ entries: [entry({ id: "a3", action: "signup.close" })], next_cursor: null })
          : json({
              entries: [
                entry({ id: "a1", action: "version.activate_override", target: "hadra-tiny-cpu:bbbb", reason: "الأجوبة أحسن" }),
                entry({ id: "a2", action: "user.disable", target: "amina", actor: "bilal" }),
              ],
              next_cursor: "a2",
            }),
    });
    await screen.findByText("Activated a version past the gate");
    const rows = [...document.querySelectorAll("tr[data-action]")];
    expect(rows.map((r) => r.getAttribute("data-action"))).toEqual(["version.activate_override", "user.disable"]);
    expect(rows[0].textContent).toContain("hadra-tiny-cpu:bbbb");
    expect(within(rows[0] as HTMLElement).getByText("الأجوبة أحسن").getAttribute("dir")).toBe("auto");
    expect(rows[1].textContent).toContain("bilal");
    expect(rows[1].textContent).toContain("Disabled an account");

    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Load older" })));
    expect(api.calls.at(-1)).toMatchObject({ path: "/api/admin/audit" });
    expect(document.querySelectorAll("tr[data-action]")).toHaveLength(3);
    expect(screen.queryByRole("button", { name: "Load older" })).toBeNull();
  });
});
