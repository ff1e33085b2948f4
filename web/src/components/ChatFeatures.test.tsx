// The chat's features wired into the app: Esc closes the topmost panel before it stops an answer,
// a finished answer is announced once to screen readers, a correction is sent as chat.edit and
// becomes version 2/2, a search hit on another version switches to it first, a bad import says
// why and changes nothing, and the view offers a way back to the newest text.
import { act, fireEvent, render, screen } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { json, serveApi } from "../testing/adminWire";
import { FakeSocket, installFakeSocket } from "../testing/fakeSocket";
import { branchMessage, conversationOut, messageDone, messageOut, modelsOut, userOut } from "../testing/wire";
import { ChatApp } from "./ChatApp";

const conversation = conversationOut({ id: "c1", title: "Greetings", model: "gemma3" });
const other = conversationOut({ id: "c2", title: "Couscous", model: "gemma3" });
const question = branchMessage({ id: "u1", conversation_id: "c1", parent_id: null, role: "user", content: "Hi" });
const streaming = branchMessage({ id: "a1", conversation_id: "c1", parent_id: "u1", role: "assistant", status: "streaming" });
const done = branchMessage({ id: "a1", conversation_id: "c1", parent_id: "u1", role: "assistant", content: "Salam. Labas?" });

let server: ReturnType<typeof serveApi>;

function snapshot(messages: object[], open = conversation) {
  return { type: "conversation.snapshot", request_id: null, conversation: open, messages };
}

async function mount(path: string) {
  window.history.pushState(null, "", path);
  render(<ChatApp user={userOut({ username: "amina" })} onLoggedOut={vi.fn()} onSignedOut={vi.fn()} />);
  await act(async () => FakeSocket.last().open());
}

const announced = () => document.querySelector(".announcer")?.textContent;

installFakeSocket();
beforeEach(() => {
  server = serveApi({
    "GET /api/models": () => json(modelsOut()),
    "GET /api/conversations": () => json({ conversations: [conversation, other], next_cursor: null }),
    "PATCH /api/conversations/c2": (body) => json({ ...other, ...(body as object) }),
    "GET /api/search": (_body, url) =>
      json({
        results:
          url.searchParams.get("q") === "couscous"
            ? [{ conversation: other, message_id: "b2", role: "assistant", snippet: "Le couscous du vendredi", on_active_branch: false }]
            : [],
      }),
    "POST /api/conversations/import": (body) =>
      (body as { format?: string }).format === "hadra.conversation"
        ? json(conversationOut({ id: "c3", title: "Brought back" }), 201)
        : json({ error: { code: "invalid_body", message: "format: field required", params: {} } }, 400),
  });
});

describe("Chat features", () => {
  it("Esc closes the settings panel first, and stops the answer only when no panel is open", async () => {
    await mount("/c/c1");
    await act(async () => FakeSocket.last().receive(snapshot([question, streaming])));
    fireEvent.click(screen.getByLabelText("Conversation settings"));
    expect(document.querySelector(".settings, form")).not.toBeNull();
    const stops = () => FakeSocket.last().frames().filter((f) => f.type === "chat.stop").length;
    const settingsShown = () => screen.queryByRole("button", { name: "Save" }) !== null;
    expect(settingsShown()).toBe(true);
    await act(async () => fireEvent.keyDown(window, { key: "Escape" }));
    expect(settingsShown()).toBe(false);
    expect(stops()).toBe(0);
    await act(async () => fireEvent.keyDown(window, { key: "Escape" }));
    expect(stops()).toBe(1);
  });

  it("Esc closes the open panels newest first: a row's menu, then the phone's sidebar drawer", async () => {
    await mount("/c/c1");
    fireEvent.click(screen.getByRole("button", { name: "Conversations" }));
    expect(document.querySelector(".sidebar.open")).not.toBeNull();
    fireEvent.click(await screen.findByRole("button", { name: "Actions for Greetings" }));
    expect(screen.getByRole("menu")).toBeTruthy();
    await act(async () => fireEvent.keyDown(window, { key: "Escape" }));
    expect(screen.queryByRole("menu")).toBeNull();
    expect(document.querySelector(".sidebar.open")).not.toBeNull();
    await act(async () => fireEvent.keyDown(window, { key: "Escape" }));
    expect(document.querySelector(".sidebar.open")).toBeNull();
  });

  it("announces a finished answer once, with its first sentence, never while it streams", async () => {
    await mount("/c/c1");
    await act(async () => {
      FakeSocket.last().receive(snapshot([question, streaming]));
      FakeSocket.last().receive({ type: "message.sync", message_id: "a1", seq: 0, text: "" });
      FakeSocket.last().receive({ type: "message.delta", message_id: "a1", seq: 1, text: "Salam. " });
    });
    expect(document.querySelector(".announcer")?.getAttribute("aria-live")).toBe("polite");
    expect(announced()).toBe("");
    await act(async () => FakeSocket.last().receive(messageDone({ message_id: "a1", status: "complete", content: "Salam. **Labas**?" })));
    expect(announced()).toBe("Answer finished. Salam.");
  });

  it("sends a correction as chat.edit of the answer, and shows it as version 2/2", async () => {
    await mount("/c/c1");
    await act(async () => FakeSocket.last().receive(snapshot([question, done])));
    fireEvent.click(screen.getByRole("button", { name: "✎ Correct" }));
    fireEvent.change(screen.getByLabelText("Corrected answer"), { target: { value: "Salam! Labas, l7amdoulah." } });
    fireEvent.click(screen.getByRole("button", { name: "Save correction" }));
    expect(FakeSocket.last().frames().at(-1)).toMatchObject({ type: "chat.edit", message_id: "a1", content: "Salam! Labas, l7amdoulah." });
    const correction = messageOut({ id: "a2", conversation_id: "c1", parent_id: "u1", role: "assistant", content: "Salam! Labas, l7amdoulah." });
    await act(async () => FakeSocket.last().receive({ type: "message.created", request_id: null, message: correction }));
    expect(document.querySelector('[data-message-id="a2"]')?.textContent).toContain("l7amdoulah");
    expect(document.querySelector('[data-message-id="a1"]')).toBeNull();
    expect(screen.getByText("2/2")).toBeTruthy();
  });

  it("searches as typing pauses, and opens a hit on another version by switching to it first", async () => {
    await mount("/");
    fireEvent.change(screen.getByLabelText("Search conversations"), { target: { value: "couscous" } });
    await vi.waitFor(() => expect(document.querySelector(".snippet")?.textContent).toBe("Le couscous du vendredi"));
    const hit = screen.getByRole("link", { name: /Couscous/ });
    expect(server.calls.filter((c) => c.path === "/api/search")).toHaveLength(1);
    expect(document.querySelector(".snippet mark")?.textContent).toBe("couscous");
    await act(async () => fireEvent.click(hit));
    await vi.waitFor(() => expect(window.location.pathname).toBe("/c/c2"));
    expect(server.calls.find((c) => c.method === "PATCH")).toEqual({ method: "PATCH", path: "/api/conversations/c2", body: { active_leaf_id: "b2" } });
    expect(FakeSocket.last().frames().at(-1)).toMatchObject({ type: "conversation.open", conversation_id: "c2" });
    const q2 = branchMessage({ id: "q2", conversation_id: "c2", parent_id: null, role: "user", content: "Vendredi?" });
    const b2 = branchMessage({ id: "b2", conversation_id: "c2", parent_id: "q2", role: "assistant", content: "Le couscous du vendredi.", sibling_ids: ["b1", "b2"] });
    const scrolled = vi.fn();
    Element.prototype.scrollIntoView = scrolled;
    await act(async () => FakeSocket.last().receive(snapshot([q2, b2], other)));
    expect(scrolled).toHaveBeenCalledTimes(1);
    expect(document.querySelector('[data-message-id="b2"]')?.classList.contains("flash")).toBe(true);
  });

  it("says why a file cannot be imported and leaves the list as it was; a good file opens its conversation", async () => {
    await mount("/c/c1");
    const before = [...document.querySelectorAll(".conv")].map((li) => li.textContent);
    const input = screen.getByLabelText("Import a conversation exported as JSON");
    const file = Object.assign(new File([], "x.json"), { text: async () => '{"hello": 1}' });
    await act(async () => fireEvent.change(input, { target: { files: [file] } }));
    expect((await screen.findByRole("alert")).textContent).toContain("That file is not a hadra conversation.");
    expect([...document.querySelectorAll(".conv")].map((li) => li.textContent)).toEqual(before);
    expect(window.location.pathname).toBe("/c/c1");

    const good = Object.assign(new File([], "y.json"), { text: async () => '{"format": "hadra.conversation"}' });
    await act(async () => fireEvent.change(input, { target: { files: [good] } }));
    await vi.waitFor(() => expect(window.location.pathname).toBe("/c/c3"));
    expect(screen.getByRole("link", { name: "Brought back" })).toBeTruthy();
    expect(screen.queryByRole("alert")).toBeNull(); // the earlier refusal is gone
  });

  it("offers the way back to the newest text once the reader scrolls up", async () => {
    await mount("/c/c1");
    await act(async () => FakeSocket.last().receive(snapshot([question, streaming])));
    const view = document.querySelector(".messages") as HTMLDivElement;
    Object.defineProperty(view, "scrollHeight", { configurable: true, value: 3000 });
    Object.defineProperty(view, "clientHeight", { configurable: true, value: 600 });
    view.scrollTop = 500;
    fireEvent.scroll(view);
    // Reading further up: new text does not pull the view down.
    await act(async () => {
      FakeSocket.last().receive({ type: "message.sync", message_id: "a1", seq: 0, text: "" });
      FakeSocket.last().receive({ type: "message.delta", message_id: "a1", seq: 1, text: "more text" });
    });
    expect(view.scrollTop).toBe(500);
    fireEvent.click(screen.getByRole("button", { name: "Jump to the latest" }));
    expect(view.scrollTop).toBe(3000);
    expect(screen.queryByRole("button", { name: "Jump to the latest" })).toBeNull();
  });
});
