// The whole app when a session ends under it: the sign-in screen (no banner), then back to the
// same conversation with the unsent text. Browser WebSocket and fetch replaced, as in ChatApp.test.
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { App } from "./App";
import { FakeSocket, installFakeSocket } from "./testing/fakeSocket";
import { branchMessage, conversationOut, errorInfo, modelsOut, userOut } from "./testing/wire";

const conversation = conversationOut({ id: "c1", title: "Greetings", model: "gemma3" });
const question = branchMessage({ id: "u1", conversation_id: "c1", parent_id: null, role: "user", content: "Hi" });

function json(data: unknown, status = 200): Response {
  return new Response(JSON.stringify(data), { status, headers: { "Content-Type": "application/json" } });
}

/** Who the server thinks is signed in (null: nobody). */
let signedIn: string | null = "amina";

const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
  const url = String(input);
  if (url === "/api/auth/me") {
    return signedIn
      ? json({ ...userOut({ username: signedIn }), auth_method: "session" })
      : json({ error: errorInfo("unauthenticated", "Log in first (POST /api/auth/login).") }, 401);
  }
  if (url === "/api/auth/login") {
    signedIn = JSON.parse(String(init?.body)).username;
    return json(userOut({ username: String(signedIn) }));
  }
  if (url.startsWith("/api/models")) return json(modelsOut());
  if (url.startsWith("/api/conversations?")) return json({ conversations: signedIn === "amina" ? [conversation] : [], next_cursor: null });
  return json({ error: errorInfo("not_found", "No such conversation.", { what: "conversation" }) }, 404);
});

/** The chat opens its socket in an effect, which React may run a moment after the chat first
 * shows (it renders after an awaited fetch, outside act): wait for the socket, then open it. */
async function openSocket(count = 1): Promise<void> {
  await vi.waitFor(() => expect(FakeSocket.all.length).toBe(count));
  await act(async () => FakeSocket.last().open());
}

/** Signed in at /c/c1 with text typed but not sent; then the session ends elsewhere. */
async function signedOutWhileTyping(): Promise<void> {
  window.history.pushState(null, "", "/c/c1");
  render(<App />);
  const box = (await screen.findByLabelText("Message")) as HTMLTextAreaElement;
  await openSocket();
  await act(async () => FakeSocket.last().receive({ type: "conversation.snapshot", conversation, messages: [question] }));
  fireEvent.change(box, { target: { value: "unsent words" } });
  signedIn = null; // logged out in another tab
  await act(async () => {
    FakeSocket.last().receive({ type: "error", code: "unauthenticated", message: "Log in first.", params: {}, request_id: null });
    FakeSocket.last().close(4401);
  });
  await screen.findByLabelText("Username");
}

async function logIn(username: string): Promise<void> {
  fireEvent.change(screen.getByLabelText("Username"), { target: { value: username } });
  fireEvent.change(screen.getByLabelText("Password"), { target: { value: "secret words" } });
  await act(async () => fireEvent.click(screen.getByRole("button", { name: "Log in" })));
}

installFakeSocket();
beforeEach(() => {
  signedIn = "amina";
  sessionStorage.clear();
  vi.stubGlobal("fetch", fetchMock);
});

describe("App, when the session ends", () => {
  it("shows the sign-in screen, not a banner, and comes back to the same conversation with the unsent text", async () => {
    await signedOutWhileTyping();
    expect(document.querySelector(".chat")).toBeNull();
    expect(document.querySelectorAll(".banner")).toHaveLength(0);
    expect(screen.getByRole("status").textContent).toContain("You were signed out");
    const socketsBefore = FakeSocket.all.length;

    await logIn("amina");
    const box = (await screen.findByLabelText("Message")) as HTMLTextAreaElement;
    expect(box.value).toBe("unsent words");
    expect(window.location.pathname).toBe("/c/c1");
    await openSocket(socketsBefore + 1);
    expect(FakeSocket.last().frames()[0]).toMatchObject({ type: "conversation.open", conversation_id: "c1" });
    expect(sessionStorage.length).toBe(0);
  });

  it("keeps the place through a reload of the sign-in page", async () => {
    await signedOutWhileTyping();
    cleanup(); // the tab reloads: only sessionStorage is left
    render(<App />);
    await screen.findByLabelText("Username");
    await logIn("amina");
    expect(((await screen.findByLabelText("Message")) as HTMLTextAreaElement).value).toBe("unsent words");
    expect(window.location.pathname).toBe("/c/c1");
  });

  it("gives nothing of it to someone else who signs in on this browser", async () => {
    await signedOutWhileTyping();
    await logIn("bilal");
    expect(((await screen.findByLabelText("Message")) as HTMLTextAreaElement).value).toBe("");
    expect(window.location.pathname).toBe("/");
  });

  it("reconnects instead when the server still knows this browser (its cookie was renewed)", async () => {
    window.history.pushState(null, "", "/c/c1");
    render(<App />);
    await screen.findByLabelText("Message");
    await openSocket();
    const first = FakeSocket.last();
    await act(async () => first.close(4401));
    await vi.waitFor(() => expect(FakeSocket.all.length).toBe(2), { timeout: 3000 });
    expect(screen.queryByLabelText("Username")).toBeNull();
  });
});
