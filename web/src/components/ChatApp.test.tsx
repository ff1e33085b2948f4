// The wiring between socket frames, the reducer and the screen, with the browser's WebSocket
// and fetch replaced (the real server is exercised by tests/e2e in Chromium).
import { act, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeSocket, installFakeSocket } from "../testing/fakeSocket";
import { branchMessage, conversationOut, errorInfo, messageDone, messageOut, modelsOut, stats, userOut } from "../testing/wire";
import { ChatApp, conversationIdFromPath } from "./ChatApp";

const conversation = conversationOut({ id: "c1", title: "Greetings", model: "gemma3" });
const user = userOut({ username: "amina" });

function json(data: unknown, status = 200): Response {
  return new Response(JSON.stringify(data), { status, headers: { "Content-Type": "application/json" } });
}

const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
  const url = String(input);
  if (url.startsWith("/api/models")) return json(modelsOut({ models: ["gemma3", "tuned"] }));
  if (url.startsWith("/api/conversations?")) return json({ conversations: [conversation], next_cursor: null });
  if (url.startsWith("/api/conversations/c1")) {
    if (init?.method === "PATCH") return json({ ...conversation, ...JSON.parse(String(init.body)) });
    return json(conversation);
  }
  return json({ error: errorInfo("not_found", "No such conversation.", { what: "conversation" }) }, 404);
});

async function mount(path: string, onSignedOut = vi.fn()) {
  window.history.pushState(null, "", path);
  render(<ChatApp user={user} onLoggedOut={vi.fn()} onSignedOut={onSignedOut} />);
  await act(async () => FakeSocket.last().open());
}

function snapshot(messages: object[], open = conversation) {
  return { type: "conversation.snapshot", request_id: null, conversation: open, messages };
}

const question = branchMessage({ id: "u1", conversation_id: "c1", parent_id: null, role: "user", content: "Hi" });
const answer = branchMessage({ id: "a1", conversation_id: "c1", parent_id: "u1", role: "assistant", status: "streaming" });

installFakeSocket();
beforeEach(() => {
  vi.stubGlobal("fetch", fetchMock);
});
afterEach(() => {
  fetchMock.mockClear();
});

describe("ChatApp", () => {
  it("reads the open conversation from the URL", () => {
    expect(conversationIdFromPath("/c/abc123")).toBe("abc123");
    expect(conversationIdFromPath("/")).toBeNull();
    expect(conversationIdFromPath("/c/")).toBeNull();
  });

  it("opens the conversation in the URL, streams an answer, and stops it with Esc", async () => {
    await mount("/c/c1");
    expect(FakeSocket.last().frames()[0]).toMatchObject({ type: "conversation.open", conversation_id: "c1" });
    await act(async () => {
      FakeSocket.last().receive(snapshot([question, answer]));
      FakeSocket.last().receive({ type: "message.sync", message_id: "a1", seq: 0, text: "" });
      FakeSocket.last().receive({ type: "message.delta", message_id: "a1", seq: 1, text: "Hello " });
      FakeSocket.last().receive({ type: "message.delta", message_id: "a1", seq: 2, text: "**world**" });
    });
    expect(document.querySelector('[data-message-id="a1"] strong')?.textContent).toBe("world");
    expect(screen.getByRole("button", { name: "Stop generating" })).toBeTruthy();

    fireEvent.keyDown(window, { key: "Escape" });
    expect(FakeSocket.last().frames().at(-1)).toMatchObject({ type: "chat.stop", message_id: "a1" });

    await act(async () =>
      FakeSocket.last().receive(
        messageDone({ message_id: "a1", status: "stopped", content: "Hello **world**", stats: stats({ ttft_ms: 90, tokens_per_s: 40, eval_count: 3 }) }),
      ),
    );
    expect(screen.getByText("Stopped")).toBeTruthy();
    expect(screen.getByText("TTFT 90 ms · 40.0 tok/s · 3 tokens")).toBeTruthy();
  });

  it("says why a chat's model changed when an admin retired the one it used", async () => {
    const moved = { ...conversation, model: null, model_note: { code: "model_retired" as const, params: { model: "hadra-x:v1" } } };
    await mount("/c/c1");
    await act(async () => FakeSocket.last().receive(snapshot([question], moved)));
    expect(document.querySelector(".modelnote")?.textContent).toBe("The model this conversation used (hadra-x:v1) was retired; it goes on with the default model.");
  });

  it("shows no model note for a chat whose model was never changed for it", async () => {
    await mount("/c/c1");
    await act(async () => FakeSocket.last().receive(snapshot([question])));
    expect(document.querySelector(".modelnote")).toBeNull();
  });

  it("leaves the old conversation's stream when another one is opened", async () => {
    await mount("/c/c1");
    await act(async () => FakeSocket.last().receive(snapshot([question])));
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "+ New chat" })));
    expect(FakeSocket.last().frames().at(-1)).toMatchObject({ type: "conversation.close", conversation_id: "c1" });
    expect(window.location.pathname).toBe("/");
    expect(document.querySelectorAll("article")).toHaveLength(0);
  });

  it("takes an unrequested snapshot of the conversation on screen, not of one just left", async () => {
    await mount("/c/c1");
    await act(async () => FakeSocket.last().receive(snapshot([question])));
    const other = conversationOut({ id: "c2", title: "Elsewhere", model: "gemma3" });
    const elsewhere = branchMessage({ id: "u2", conversation_id: "c2", parent_id: null, role: "user", content: "Away" });
    await act(async () => FakeSocket.last().receive(snapshot([elsewhere], other)));
    expect(document.querySelector('[data-message-id="u2"]')).toBeNull();
    expect(document.querySelector('[data-message-id="u1"]')).not.toBeNull();
    const done = { ...answer, status: "complete", content: "Resent after a lost relay" };
    await act(async () => FakeSocket.last().receive(snapshot([question, done])));
    expect(document.querySelector('[data-message-id="a1"]')?.textContent).toContain("Resent after a lost relay");
  });

  it("asks for a resync on a gap and re-opens the conversation after a reconnect", async () => {
    await mount("/c/c1");
    await act(async () => {
      FakeSocket.last().receive(snapshot([question, answer]));
      FakeSocket.last().receive({ type: "message.sync", message_id: "a1", seq: 0, text: "" });
      FakeSocket.last().receive({ type: "message.delta", message_id: "a1", seq: 1, text: "one " });
      FakeSocket.last().receive({ type: "message.delta", message_id: "a1", seq: 3, text: "three" });
    });
    const opens = () => FakeSocket.last().frames().filter((f) => f.type === "conversation.open").length;
    expect(opens()).toBe(2);

    vi.useFakeTimers();
    try {
      await act(async () => FakeSocket.last().close(1006));
      expect(screen.getByRole("status").textContent).toContain("Connection lost");
      await act(async () => vi.advanceTimersByTime(1000));
      await act(async () => FakeSocket.last().open());
    } finally {
      vi.useRealTimers();
    }
    expect(FakeSocket.last().frames()[0]).toMatchObject({ type: "conversation.open", conversation_id: "c1" });
    await act(async () => {
      FakeSocket.last().receive(snapshot([question, { ...answer, content: "one two" }]));
      FakeSocket.last().receive({ type: "message.sync", message_id: "a1", seq: 3, text: "one two three" });
      FakeSocket.last().receive({ type: "message.delta", message_id: "a1", seq: 4, text: " four" });
    });
    expect(document.querySelector('[data-message-id="a1"] p')?.textContent).toBe("one two three four");
    expect(screen.queryByRole("status")).toBeNull();
  });

  it("sends a new chat with its model and follows the created conversation", async () => {
    await mount("/");
    fireEvent.click(screen.getByLabelText("Conversation settings"));
    await screen.findByRole("option", { name: "tuned" });
    fireEvent.change(screen.getByLabelText("Model"), { target: { value: "tuned" } });
    fireEvent.change(screen.getByPlaceholderText(/Answer briefly/), { target: { value: "Be brief." } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));

    const box = screen.getByLabelText("Message");
    fireEvent.change(box, { target: { value: "سلام، labas?" } });
    fireEvent.keyDown(box, { key: "Enter" });
    const sent = FakeSocket.last().frames().at(-1)!;
    expect(sent).toMatchObject({ type: "chat.send", conversation_id: null, content: "سلام، labas?", model: "tuned", system_prompt: "Be brief." });
    expect((box as HTMLTextAreaElement).value).toBe("");

    await act(async () => {
      FakeSocket.last().receive({ type: "conversation.created", conversation: conversationOut({ id: "c9", model: "tuned" }), request_id: sent.request_id });
      FakeSocket.last().receive({
        type: "message.created",
        message: messageOut({ id: "u9", conversation_id: "c9", parent_id: null, role: "user", content: "سلام، labas?" }),
        request_id: sent.request_id,
      });
    });
    expect(window.location.pathname).toBe("/c/c9");
    // Not named by the server yet: the app's own words, in the heading and the sidebar.
    expect(screen.getByRole("heading", { level: 2 }).textContent).toBe("New chat");
    expect(screen.getByRole("link", { name: "New chat" }).getAttribute("href")).toBe("/c/c9");
    const bubble = document.querySelector('[data-message-id="u9"] .plain');
    expect(bubble?.textContent).toBe("سلام، labas?");
    expect(bubble?.getAttribute("dir")).toBe("auto");
  });

  it("keeps the text and says so when Enter is pressed before the socket is connected", async () => {
    window.history.pushState(null, "", "/");
    render(<ChatApp user={user} onLoggedOut={vi.fn()} onSignedOut={vi.fn()} />);
    const box = screen.getByLabelText("Message") as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: "early bird" } });
    fireEvent.keyDown(box, { key: "Enter" });
    expect(box.value).toBe("early bird");
    expect(screen.getByRole("alert").textContent).toContain("Not connected");
    expect(FakeSocket.last().sent).toEqual([]);
  });

  it("gives the text back and explains a rate limit", async () => {
    await mount("/c/c1");
    await act(async () => FakeSocket.last().receive(snapshot([{ ...question }])));
    const box = screen.getByLabelText("Message") as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: "again" } });
    fireEvent.keyDown(box, { key: "Enter" });
    const sent = FakeSocket.last().frames().at(-1)!;
    expect(sent).toMatchObject({ type: "chat.send", conversation_id: "c1", parent_id: "u1" });
    await act(async () =>
      FakeSocket.last().receive({
        type: "error",
        code: "rate_limited",
        message: "20 messages a minute at most",
        params: { retry_after_s: 31 },
        request_id: sent.request_id,
      }),
    );
    expect(box.value).toBe("again");
    const banner = screen.getByRole("alert");
    expect(banner.textContent).toContain("You are sending messages too fast");
    expect(banner.textContent).toContain("Wait 31 seconds");
    expect(banner.textContent).not.toContain("20 messages a minute at most"); // the server's words are for programs
  });

  it("tells a refused frame in the app's words, never the server's validator text", async () => {
    await mount("/c/c1");
    await act(async () => FakeSocket.last().receive(snapshot([{ ...question }])));
    const box = screen.getByLabelText("Message") as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: "again" } });
    fireEvent.keyDown(box, { key: "Enter" });
    const sent = FakeSocket.last().frames().at(-1)!;
    const developerText = "Invalid frame — conversation_id: String should match pattern '^[0-9a-f]{24}$'.";
    await act(async () =>
      FakeSocket.last().receive({ type: "error", code: "invalid_frame", message: developerText, params: { field: "conversation_id" }, request_id: sent.request_id }),
    );
    const banner = screen.getByRole("alert");
    expect(banner.textContent).toContain("Reload the page and try again.");
    expect(banner.textContent).not.toContain("String should");
    expect(banner.className).toBe("banner banner-other");
    expect(box.value).toBe("again");
  });

  it("shows a failed answer's sentence for its code under the answer, never the server's words up front", async () => {
    await mount("/c/c1");
    await act(async () => {
      FakeSocket.last().receive(snapshot([question, answer]));
      FakeSocket.last().receive({ type: "message.sync", message_id: "a1", seq: 0, text: "", status: null });
    });
    const serverWords = "model 'gone' is not available on Ollama at http://127.0.0.1:11434 (model not found)";
    await act(async () =>
      FakeSocket.last().receive(
        messageDone({ message_id: "a1", status: "failed", content: "", error: errorInfo("model_not_found", serverWords, { model: "gone" }) }),
      ),
    );
    const alert = screen.getByRole("alert");
    expect(alert.closest("article")?.getAttribute("data-message-id")).toBe("a1");
    expect(alert.querySelector("strong")?.textContent).toBe("The model “gone” is not available.");
    expect(alert.textContent).toContain("Pick another model in the conversation settings");
    expect(alert.querySelector("details")?.open).toBe(false); // the server's words, folded away
    expect(screen.getByTitle("Regenerate")).toBeTruthy();
  });

  it("calls a conversation New chat until the server names it, then uses its title", async () => {
    await mount("/c/c1");
    await act(async () => FakeSocket.last().receive(snapshot([question], { ...conversation, title: null })));
    expect(screen.getByRole("heading", { level: 2 }).textContent).toBe("New chat");
    await act(async () => FakeSocket.last().receive({ type: "conversation.updated", conversation: { id: "c1", title: "Saying hello" } }));
    expect(screen.getByRole("heading", { level: 2 }).textContent).toBe("Saying hello");
    expect(await screen.findByRole("link", { name: "Saying hello" })).toBeTruthy();
  });

  it("renaming another chat from the New chat screen leaves the New chat screen as it is", async () => {
    await mount("/");
    fireEvent.click(await screen.findByRole("button", { name: "Actions for Greetings" }));
    fireEvent.click(screen.getByRole("menuitem", { name: /Rename/ }));
    const input = screen.getByLabelText("Conversation title");
    fireEvent.change(input, { target: { value: "Renamed" } });
    await act(async () => fireEvent.keyDown(input, { key: "Enter" }));
    expect(await screen.findByRole("link", { name: "Renamed" })).toBeTruthy();
    expect(screen.getByRole("heading", { level: 2 }).textContent).toBe("New chat");
    expect(document.querySelector(".conv.active")).toBeNull();

    // A system prompt typed now is the new chat's, and so is the next message.
    fireEvent.click(screen.getByLabelText("Conversation settings"));
    fireEvent.change(screen.getByPlaceholderText(/Answer briefly/), { target: { value: "Be brief." } });
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Save" })));
    const box = screen.getByLabelText("Message");
    fireEvent.change(box, { target: { value: "A fresh question" } });
    fireEvent.keyDown(box, { key: "Enter" });
    expect(FakeSocket.last().frames().at(-1)).toMatchObject({
      type: "chat.send",
      conversation_id: null,
      content: "A fresh question",
      system_prompt: "Be brief.",
    });
    const patches = fetchMock.mock.calls.filter(([, init]) => init?.method === "PATCH").map(([, init]) => JSON.parse(String(init?.body)));
    expect(patches).toEqual([{ title: "Renamed" }]); // the old chat got its title and nothing else
  });

  it("hands over the open conversation and the unsent text when an HTTP call says signed out", async () => {
    const onSignedOut = vi.fn();
    await mount("/c/c1", onSignedOut);
    await act(async () => FakeSocket.last().receive(snapshot([{ ...question }])));
    fireEvent.change(screen.getByLabelText("Message"), { target: { value: "half a thought" } });
    const signedOut = json({ error: errorInfo("unauthenticated", "Log in first (POST /api/auth/login).") }, 401);
    vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => (init?.method === "PATCH" ? signedOut : fetchMock(input, init)));
    fireEvent.click(screen.getByRole("button", { name: "Actions for Greetings" }));
    fireEvent.click(screen.getByRole("menuitem", { name: /Rename/ }));
    const input = screen.getByLabelText("Conversation title");
    fireEvent.change(input, { target: { value: "Renamed" } });
    await act(async () => fireEvent.keyDown(input, { key: "Enter" }));
    expect(onSignedOut).toHaveBeenCalledWith({ conversationId: "c1", draft: "half a thought" });
    expect(screen.queryByRole("alert")).toBeNull();
  });
});
