// /tokens: the list with name, created and last use; a new token's secret shown once (with the
// warning, a copy button and ready lines using it), then only the list; revoke after a confirm;
// a 429 told in the error table's sentence.
import { act, fireEvent, render, screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { TokenOut } from "../contract";
import { errorSentence } from "../errorText";
import { json, serveApi } from "../testing/adminWire";
import { installFakeSocket } from "../testing/fakeSocket";
import { userOut } from "../testing/wire";
import AccountPage from "./AccountPage";

const user = userOut({ username: "amina" });
const SECRET = "hadra_" + "s3cr3t".repeat(6);

function tokenOut(fields: Partial<TokenOut> & Pick<TokenOut, "id" | "name">): TokenOut {
  return { created_at: "2026-01-01T08:30:00Z", last_used_at: null, ...fields };
}

function serveTokens(tokens: TokenOut[], routes: Parameters<typeof serveApi>[0] = {}) {
  return serveApi({
    "GET /api/tokens": () => json({ tokens }),
    "POST /api/tokens": (body) => {
      const made = tokenOut({ id: "t-new", name: (body as { name: string }).name, created_at: "2026-03-01T10:00:00Z" });
      tokens = [made, ...tokens];
      return json({ ...made, token: SECRET }, 201);
    },
    ...routes,
  });
}

function mount() {
  const onLeft = vi.fn();
  const onSignedOut = vi.fn();
  window.history.pushState(null, "", "/tokens");
  render(<AccountPage page="tokens" user={user} onOpen={vi.fn()} onBack={vi.fn()} onSignedOut={onSignedOut} onLeft={onLeft} onAccount={vi.fn()} />);
  return { onLeft, onSignedOut };
}

function row(id: string): HTMLElement {
  return document.querySelector(`tr[data-token-id="${id}"]`) as HTMLElement;
}

installFakeSocket();

describe("the API tokens page", () => {
  it("lists each token's name, creation and last use", async () => {
    serveTokens([
      tokenOut({ id: "t1", name: "bot", last_used_at: "2026-02-01T09:15:00Z" }),
      tokenOut({ id: "t2", name: "سكربت" }),
    ]);
    mount();
    expect(await screen.findByText("bot")).toBeTruthy();
    expect(screen.getByText("2 tokens")).toBeTruthy();
    expect(row("t1").textContent).toContain("2026");
    expect(row("t1").textContent).not.toContain("Never");
    expect(row("t2").textContent).toContain("سكربت");
    expect(row("t2").textContent).toContain("Never");
  });

  it("shows a new token's secret once, with the warning, a copy button and lines using it; then only the list", async () => {
    const api = serveTokens([]);
    const copied: string[] = [];
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText: async (text: string) => void copied.push(text) } });
    mount();
    expect(await screen.findByText("No tokens yet.")).toBeTruthy();

    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "  my bot  " } });
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Create" })));
    expect(api.calls.filter((c) => c.method === "POST")).toEqual([{ method: "POST", path: "/api/tokens", body: { name: "my bot" } }]);

    const shown = screen.getByRole("region", { name: "Your new token “my bot”" });
    expect(within(shown).getByLabelText("Token").textContent).toBe(SECRET);
    expect(shown.textContent).toContain("it is shown only this once");
    const examples = [...shown.querySelectorAll("pre")].map((pre) => pre.textContent);
    expect(examples[0]).toContain(`websocat -H 'Authorization: Bearer ${SECRET}' ws://${window.location.host}/ws/chat/`);
    expect(examples[0]).toContain('"type":"chat.send"');
    expect(examples[1]).toBe(`curl -H 'Authorization: Bearer ${SECRET}' http://${window.location.host}/api/conversations`);
    await act(async () => fireEvent.click(within(shown).getByRole("button", { name: "Copy" })));
    expect(copied).toEqual([SECRET]);
    expect(within(shown).getByRole("button", { name: "Copied" })).toBeTruthy();
    expect(row("t-new").textContent).toContain("my bot");

    await act(async () => fireEvent.click(screen.getByRole("button", { name: "I have copied it" })));
    expect(screen.queryByRole("region", { name: /Your new token/ })).toBeNull();
    expect(document.body.textContent).not.toContain(SECRET);
    expect(row("t-new").textContent).toContain("my bot");
    expect(screen.getByText("1 token")).toBeTruthy();
  });

  it("asks for a name before creating", async () => {
    const api = serveTokens([]);
    mount();
    await screen.findByText("No tokens yet.");
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Create" })));
    expect(screen.getByRole("alert").textContent).toContain("Give the token a name");
    expect(api.calls.filter((c) => c.method === "POST")).toEqual([]);
  });

  it("revokes a token only after the confirm, and the row goes", async () => {
    const api = serveTokens([tokenOut({ id: "t1", name: "bot" }), tokenOut({ id: "t2", name: "laptop" })], {
      "DELETE /api/tokens/t1": () => json(null, 204),
    });
    mount();
    await screen.findByText("bot");
    const confirm = vi.spyOn(window, "confirm").mockReturnValueOnce(false).mockReturnValueOnce(true);

    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Revoke bot" })));
    expect(confirm.mock.calls[0][0]).toContain("Revoke “bot”?");
    expect(api.calls.filter((c) => c.method === "DELETE")).toEqual([]);
    expect(row("t1")).toBeTruthy();

    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Revoke bot" })));
    expect(api.calls.filter((c) => c.method === "DELETE")).toEqual([{ method: "DELETE", path: "/api/tokens/t1", body: undefined }]);
    expect(row("t1")).toBeNull();
    expect(row("t2")).toBeTruthy();
    expect(screen.getByRole("status").textContent).toBe("“bot” is revoked.");
  });

  it("tells a 429 in the error table's sentence", async () => {
    const params = { retry_after_s: 30 };
    serveTokens([], {
      "POST /api/tokens": () => json({ error: { code: "rate_limited", message: "Too many API tokens created.", params } }, 429),
    });
    mount();
    await screen.findByText("No tokens yet.");
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "one more" } });
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Create" })));
    expect(screen.getByRole("alert").textContent).toBe(errorSentence("rate_limited", "account", params));
    expect(screen.queryByRole("region", { name: /Your new token/ })).toBeNull();
  });

  it("hands a session that ended up to the app instead of telling an error", async () => {
    serveApi({ "GET /api/tokens": () => json({ error: { code: "unauthenticated", message: "Sign in.", params: {} } }, 401) });
    const { onSignedOut } = mount();
    await vi.waitFor(() => expect(onSignedOut).toHaveBeenCalledTimes(1));
    expect(screen.queryByRole("alert")).toBeNull();
  });
});
