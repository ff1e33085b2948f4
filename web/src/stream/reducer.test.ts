import { describe, expect, it } from "vitest";
import type { BranchMessageOut } from "../contract";
import { branchMessage, conversationOut, errorInfo, messageDone, stats } from "../testing/wire";
import { chatReducer, emptyChat, streamingMessage, type ChatAction, type ChatState } from "./reducer";

const conv = conversationOut({ id: "c1", title: "Test" });

function msg(id: string, role: BranchMessageOut["role"], parent: string | null, extra: Partial<BranchMessageOut> = {}): BranchMessageOut {
  return branchMessage({ id, conversation_id: "c1", parent_id: parent, role, ...extra });
}

/** `message.done` for a1 (its whole text, as the server always sends it). */
function done(content: string, extra: Partial<Parameters<typeof messageDone>[0]> = {}): ChatAction {
  return { ...messageDone({ message_id: "a1", status: "complete", content, ...extra }), type: "done" };
}

function run(state: ChatState, ...actions: ChatAction[]): ChatState {
  return actions.reduce(chatReducer, state);
}

/** An open conversation with one question and an empty answer being generated. */
function streamingState(): ChatState {
  return run(
    { ...emptyChat },
    { type: "reset", conversationId: "c1" },
    { type: "snapshot", conversation: conv, messages: [] },
    { type: "created", message: msg("u1", "user", null, { content: "Hi" }) },
    { type: "created", message: msg("a1", "assistant", "u1", { status: "streaming" }) },
  );
}

const delta = (seq: number, text: string): ChatAction => ({ type: "delta", message_id: "a1", seq, text });

describe("deltas", () => {
  it("appends deltas in seq order and puts new messages on the branch", () => {
    const s = run(streamingState(), delta(1, "Hel"), delta(2, "lo"), delta(3, " world"));
    expect(s.branch).toEqual(["u1", "a1"]);
    expect(s.messages.a1.content).toBe("Hello world");
    expect(s.cursors.a1.seq).toBe(3);
    expect(s.resync).toBe("none");
    expect(streamingMessage(s)?.id).toBe("a1");
  });

  it("ignores a repeated delta", () => {
    const s = run(streamingState(), delta(1, "a"), delta(2, "b"), delta(2, "b"), delta(1, "a"));
    expect(s.messages.a1.content).toBe("ab");
  });

  it("holds back a delta after a gap, asks for a resync, and applies it once the gap is filled", () => {
    let s = run(streamingState(), delta(1, "one "), delta(3, "three "));
    expect(s.messages.a1.content).toBe("one ");
    expect(s.resync).toBe("wanted");
    s = run(s, { type: "resyncRequested" });
    expect(s.resync).toBe("requested");
    s = run(s, delta(2, "two "));
    expect(s.messages.a1.content).toBe("one two three ");
    expect(s.cursors.a1.seq).toBe(3);
    expect(s.cursors.a1.pending).toEqual({});
  });

  it("reorders deltas that arrive out of order", () => {
    const s = run(streamingState(), delta(2, "b"), delta(3, "c"), delta(1, "a"));
    expect(s.messages.a1.content).toBe("abc");
  });

  it("ignores deltas for unknown or finished messages", () => {
    let s = run(streamingState(), { type: "delta", message_id: "nope", seq: 1, text: "x" });
    expect(s.messages.nope).toBeUndefined();
    s = run(s, delta(1, "done"), done("done"), delta(2, " late"));
    expect(s.messages.a1.content).toBe("done");
  });
});

describe("sync", () => {
  it("replaces the text and continues from its seq", () => {
    const s = run(
      streamingState(),
      delta(1, "garbled"),
      { type: "sync", message_id: "a1", seq: 4, text: "The full text", status: null },
      delta(4, " repeated"),
      delta(5, " and more"),
    );
    expect(s.messages.a1.content).toBe("The full text and more");
    expect(s.cursors.a1.seq).toBe(5);
  });

  it("drops a sync older than what is shown", () => {
    const s = run(streamingState(), delta(1, "a"), delta(2, "b"), delta(3, "c"), {
      type: "sync",
      message_id: "a1",
      seq: 1,
      text: "a",
      status: null,
    });
    expect(s.messages.a1.content).toBe("abc");
  });

  it("keeps live deltas that arrive before the sync after a reload", () => {
    // A reload: the snapshot shows the last checkpoint, live deltas 7 and 8 race the sync (seq 6).
    let s = run(
      { ...emptyChat },
      { type: "reset", conversationId: "c1" },
      {
        type: "snapshot",
        conversation: conv,
        messages: [
          msg("u1", "user", null, { content: "Hi" }),
          msg("a1", "assistant", "u1", { status: "streaming", content: "checkpoint" }),
        ],
      },
    );
    expect(s.messages.a1.content).toBe("checkpoint");
    s = run(s, delta(7, " seven"), delta(8, " eight"));
    expect(s.messages.a1.content).toBe("checkpoint");
    expect(s.resync).toBe("none"); // waiting for the sync that conversation.open promises
    s = run(s, { type: "sync", message_id: "a1", seq: 6, text: "checkpoint and six", status: null });
    expect(s.messages.a1.content).toBe("checkpoint and six seven eight");
    expect(s.cursors.a1.seq).toBe(8);
  });

  it("treats a jump after a snapshot of a stream it already follows as a gap", () => {
    const s = run(streamingState(), {
      type: "snapshot",
      conversation: conv,
      messages: [msg("u1", "user", null), msg("a1", "assistant", "u1", { status: "streaming" })],
    });
    expect(s.cursors.a1.seq).toBe(0); // our own cursor is kept
    expect(run(s, delta(3, "x")).resync).toBe("wanted");
  });

  it("a sync without seq is the final text of an answer that has just ended", () => {
    const s = run(streamingState(), delta(1, "par"), {
      type: "sync",
      message_id: "a1",
      seq: null,
      text: "partial answer",
      status: "interrupted",
    });
    expect(s.messages.a1.content).toBe("partial answer");
    expect(s.messages.a1.status).toBe("interrupted");
    expect(s.cursors.a1).toBeUndefined();
  });

  it("asks again when the sync itself leaves a gap", () => {
    const s = run(
      { ...emptyChat },
      { type: "reset", conversationId: "c1" },
      { type: "snapshot", conversation: conv, messages: [msg("a1", "assistant", null, { status: "streaming" })] },
      delta(9, " nine"),
      { type: "sync", message_id: "a1", seq: 6, text: "six", status: null },
    );
    expect(s.messages.a1.content).toBe("six");
    expect(s.resync).toBe("wanted");
  });
});

describe("done", () => {
  it("sets status, stats and error and ends the stream", () => {
    const s = run(streamingState(), delta(1, "Hi there"), done("Hi there", { stats: stats({ ttft_ms: 83, tokens_per_s: 45.2, eval_count: 12 }) }));
    expect(s.messages.a1.status).toBe("complete");
    expect(s.messages.a1.stats?.tokens_per_s).toBe(45.2);
    expect(s.cursors.a1).toBeUndefined();
    expect(streamingMessage(s)).toBeNull();
    expect(s.resync).toBe("none");
  });

  it("keeps partial text and the error of a failed answer", () => {
    const s = run(streamingState(), delta(1, "partial"), done("partial", { status: "failed", error: errorInfo("model_server_unavailable") }));
    expect(s.messages.a1.content).toBe("partial");
    expect(s.messages.a1.status).toBe("failed");
    expect(s.messages.a1.error?.code).toBe("model_server_unavailable");
  });

  it("takes the final text from done, which settles deltas lost at the end", () => {
    const s = run(streamingState(), delta(1, "a"), done("abc"));
    expect(s.messages.a1.content).toBe("abc");
    expect(s.resync).toBe("none");
  });

  it("marks a stopped answer", () => {
    const s = run(streamingState(), delta(1, "a"), done("a", { status: "stopped" }));
    expect(s.messages.a1.status).toBe("stopped");
  });
});

describe("branches", () => {
  it("regenerate: a sibling answer replaces the old one on the branch and both know the count", () => {
    let s = run(streamingState(), delta(1, "first"), done("first"));
    s = run(s, { type: "created", message: msg("a2", "assistant", "u1", { status: "streaming" }) });
    expect(s.branch).toEqual(["u1", "a2"]);
    expect(s.messages.a2.sibling_ids).toEqual(["a1", "a2"]);
    expect(s.messages.a1.sibling_ids).toEqual(["a1", "a2"]);
  });

  it("edit: a sibling question cuts the branch below the common parent", () => {
    let s = run(
      streamingState(),
      done(""),
      { type: "created", message: msg("u2", "user", "a1", { content: "more" }) },
      { type: "created", message: msg("a3", "assistant", "u2") },
    );
    s = run(s, { type: "created", message: msg("u2b", "user", "a1", { content: "edited" }) });
    expect(s.branch).toEqual(["u1", "a1", "u2b"]);
    expect(s.messages.u2b.sibling_ids).toEqual(["u2", "u2b"]);
  });

  it("ignores messages of another conversation", () => {
    const s = run(streamingState(), { type: "created", message: { ...msg("x", "user", null), conversation_id: "other" } });
    expect(s.branch).toEqual(["u1", "a1"]);
  });

  it("asks for a resync when a message's parent is not on screen", () => {
    const s = run(streamingState(), { type: "created", message: msg("z", "assistant", "missing") });
    expect(s.resync).toBe("wanted");
  });
});

describe("snapshot and reset", () => {
  it("replaces the view with the server's branch", () => {
    const s = run(streamingState(), {
      type: "snapshot",
      conversation: { ...conv, title: "Renamed" },
      messages: [msg("u9", "user", null, { content: "other branch" })],
    });
    expect(s.branch).toEqual(["u9"]);
    expect(s.conversation?.title).toBe("Renamed");
    expect(s.resync).toBe("none");
  });

  it("reset empties the view", () => {
    const s = run(streamingState(), { type: "reset", conversationId: null });
    expect(s.branch).toEqual([]);
    expect(s.conversation).toBeNull();
    expect(s.conversationId).toBeNull();
  });

  it("knows which conversation is opening before its snapshot comes", () => {
    const s = run({ ...emptyChat }, { type: "reset", conversationId: "c1" }, { type: "created", message: msg("u1", "user", null) });
    expect(s.conversationId).toBe("c1");
    expect(s.conversation).toBeNull();
    expect(s.branch).toEqual(["u1"]);
  });

  it("applies a partial update (new title) only to the conversation on screen, keeping other fields", () => {
    let s = run(
      { ...emptyChat },
      { type: "reset", conversationId: "c1" },
      { type: "snapshot", conversation: { ...conv, model: "tuned" }, messages: [] },
      { type: "conversationPatch", patch: { id: "c1", title: "Auto title" } },
    );
    expect(s.conversation).toMatchObject({ id: "c1", title: "Auto title", model: "tuned" });
    s = run(s, { type: "conversationPatch", patch: { id: "other", title: "X" } });
    expect(s.conversation?.title).toBe("Auto title");
    const fresh = run({ ...emptyChat }, { type: "conversationPatch", patch: { id: "c2", title: "Y" } });
    expect(fresh.conversation).toBeNull();
  });

  it("a renamed or updated conversation that is not open never becomes the open one", () => {
    // The "New chat" screen: nothing open. Renaming another chat in the sidebar must leave it so,
    // or the next message (and the new chat's system prompt) would go to that chat.
    const renamed = conversationOut({ id: "c7", title: "Renamed elsewhere" });
    const fresh = run({ ...emptyChat }, { type: "conversation", conversation: renamed });
    expect(fresh.conversation).toBeNull();
    const open = run(streamingState(), { type: "conversation", conversation: renamed });
    expect(open.conversation).toEqual(conv);
    const same = run(streamingState(), { type: "conversation", conversation: { ...conv, title: "New title" } });
    expect(same.conversation?.title).toBe("New title");
  });

  it("the chat this tab started from the New chat screen becomes the open one", () => {
    const started = run({ ...emptyChat }, { type: "started", conversation: conversationOut({ id: "c9" }) });
    expect(started.conversationId).toBe("c9");
    expect(started.conversation?.title).toBeNull();
    const busy = run(streamingState(), { type: "started", conversation: conversationOut({ id: "c9" }) });
    expect(busy.conversation?.id).toBe("c1");
  });

  it("records feedback", () => {
    const feedback = { rating: "down" as const, note: "", created_at: "2026-01-01T00:00:00Z" };
    const s = run(streamingState(), { type: "feedback", message_id: "a1", feedback });
    expect(s.messages.a1.feedback?.rating).toBe("down");
  });
});

describe("queue", () => {
  /** An answer created queued (the model runs its limit of answers). */
  function queuedState(): ChatState {
    return run(
      { ...emptyChat },
      { type: "reset", conversationId: "c1" },
      { type: "snapshot", conversation: conv, messages: [] },
      { type: "created", message: msg("u1", "user", null, { content: "Hi" }) },
      { type: "created", message: msg("a1", "assistant", "u1", { status: "queued" }) },
    );
  }
  const queued = (position: number): ChatAction => ({ type: "queued", message_id: "a1", position });

  it("follows the place in the queue, then streams from the first delta", () => {
    let s = run(queuedState(), queued(2));
    expect(s.messages.a1).toMatchObject({ status: "queued", queue_position: 2, content: "" });
    expect(streamingMessage(s)?.id).toBe("a1"); // Stop acts on a queued answer too
    s = run(s, queued(1), queued(0));
    expect(s.messages.a1.queue_position).toBe(0);
    s = run(s, delta(1, "Hel"), delta(2, "lo"));
    expect(s.messages.a1.status).toBe("streaming");
    expect(s.messages.a1.queue_position).toBeUndefined();
    expect(s.messages.a1.content).toBe("Hello");
    expect(s.resync).toBe("none");
  });

  it("a stopped queued answer ends like any other", () => {
    const s = run(queuedState(), queued(1), done("", { status: "stopped" }));
    expect(s.messages.a1.status).toBe("stopped");
    expect(s.messages.a1.queue_position).toBeUndefined();
    expect(streamingMessage(s)).toBeNull();
  });

  it("after a reload the place answers the sync, and deltas follow on from it", () => {
    let s = run(
      { ...emptyChat },
      { type: "reset", conversationId: "c1" },
      {
        type: "snapshot",
        conversation: conv,
        messages: [msg("u1", "user", null, { content: "Hi" }), msg("a1", "assistant", "u1", { status: "queued" })],
      },
    );
    expect(s.cursors.a1.seq).toBeNull(); // waiting for its sync
    s = run(s, queued(3));
    expect(s.messages.a1.queue_position).toBe(3);
    expect(s.cursors.a1.seq).toBe(0);
    s = run(s, delta(1, "Hi "), delta(2, "there"));
    expect(s.messages.a1).toMatchObject({ status: "streaming", content: "Hi there" });
  });

  it("a delta that overtook the place is applied once the place gives the base", () => {
    let s = run(
      { ...emptyChat },
      { type: "reset", conversationId: "c1" },
      { type: "snapshot", conversation: conv, messages: [msg("u1", "user", null), msg("a1", "assistant", "u1", { status: "queued" })] },
      delta(1, "early"),
    );
    expect(s.messages.a1).toMatchObject({ status: "queued", content: "" });
    s = run(s, queued(0));
    expect(s.messages.a1).toMatchObject({ status: "streaming", content: "early" });
  });

  it("a sync with a seq means the answer left the queue", () => {
    const s = run(queuedState(), queued(0), { type: "sync", message_id: "a1", seq: 0, text: "", status: null });
    expect(s.messages.a1.status).toBe("streaming");
  });
});

