// /settings and /tokens in the whole app: reached from the sidebar's account links (the pages load
// on demand), back to the chat; after deleting the account the sign-in page says it is gone.
import { act, fireEvent, render, screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { App } from "../App";
import type { MeOut } from "../contract";
import { json, serveApi } from "../testing/adminWire";
import { installFakeSocket } from "../testing/fakeSocket";
import { meOut, modelsOut } from "../testing/wire";

const me = meOut({ username: "amina" });

function serve() {
  let signedIn = true;
  let account = me;
  return serveApi({
    "GET /api/auth/me": () => (signedIn ? json(account) : json({ error: { code: "unauthenticated", message: "no", params: {} } }, 401)),
    "PATCH /api/auth/me": (body) => {
      account = { ...account, ...(body as Partial<MeOut>) };
      return json(account);
    },
    "GET /api/models": () => json(modelsOut({ default_model: "gemma3", models: ["gemma3", "qwen2.5:0.5b"] })),
    "GET /api/conversations": () => json({ conversations: [], next_cursor: null }),
    "GET /api/tokens": () => json({ tokens: [] }),
    "DELETE /api/auth/me": () => {
      signedIn = false;
      return json(null, 204);
    },
  });
}

installFakeSocket();

describe("the account pages in the app", () => {
  it("opens settings and tokens from the sidebar's links and goes back to the chat", async () => {
    serve();
    window.history.pushState(null, "", "/");
    render(<App />);
    await screen.findByLabelText("Message");
    await act(async () => fireEvent.click(screen.getByRole("link", { name: "Settings" })));
    expect(await screen.findByRole("heading", { name: "Settings", level: 1 })).toBeTruthy();
    expect(window.location.pathname).toBe("/settings");

    const pages = screen.getByRole("navigation", { name: "Account" });
    await act(async () => fireEvent.click(within(pages).getByRole("link", { name: "API tokens" })));
    expect(await screen.findByRole("heading", { name: "API tokens", level: 1 })).toBeTruthy();
    expect(window.location.pathname).toBe("/tokens");
    expect(within(pages).getByRole("link", { name: "API tokens" }).getAttribute("aria-current")).toBe("page");

    await act(async () => fireEvent.click(screen.getByRole("link", { name: "← Back to the chat" })));
    expect(await screen.findByLabelText("Message")).toBeTruthy();
    expect(window.location.pathname).toBe("/");
  });

  it("starts the next new chat with the default model and system prompt just saved", async () => {
    serve();
    window.history.pushState(null, "", "/");
    render(<App />);
    await screen.findByLabelText("Message");
    await vi.waitFor(() => expect(document.querySelector(".modelchip")?.textContent).toBe("gemma3"));
    await act(async () => fireEvent.click(screen.getByRole("link", { name: "Settings" })));
    const newChats = within(await screen.findByRole("region", { name: "New chats" }));
    fireEvent.change(newChats.getByLabelText("Default model"), { target: { value: "qwen2.5:0.5b" } });
    fireEvent.change(newChats.getByLabelText("System prompt for new chats"), { target: { value: "Jaweb b darija." } });
    await act(async () => fireEvent.click(newChats.getByRole("button", { name: "Save" })));
    await newChats.findByText("Saved.");

    await act(async () => fireEvent.click(screen.getByRole("link", { name: "← Back to the chat" })));
    await screen.findByLabelText("Message");
    await vi.waitFor(() => expect(document.querySelector(".modelchip")?.textContent).toBe("qwen2.5:0.5b"));
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Conversation settings" })));
    expect((screen.getByPlaceholderText(/Answer briefly/) as HTMLTextAreaElement).value).toBe("Jaweb b darija.");
  });

  it("shows the sign-in page saying the account is gone after deleting it", async () => {
    serve();
    window.history.pushState(null, "", "/settings");
    render(<App />);
    const danger = within(await screen.findByRole("region", { name: "Danger zone" }));
    fireEvent.change(danger.getByLabelText("Your password"), { target: { value: "the-password" } });
    fireEvent.change(danger.getByLabelText("Type your username, amina, to confirm"), { target: { value: "amina" } });
    await act(async () => fireEvent.click(danger.getByRole("button", { name: "Delete my account" })));
    expect(await screen.findByText("Your account and all its data were deleted.")).toBeTruthy();
    expect(screen.getByLabelText("Username")).toBeTruthy();
    expect(window.location.pathname).toBe("/");
  });
});
