// The state of one open conversation, driven only by what the server says. Pure, so the hard
// parts of streaming (ordering by seq, gaps, syncs that replace text, several tabs) are tested
// without a browser or a socket.
//
// Sequence convention (chat/generation.py): the assistant placeholder starts empty at seq 0, each
// `message.delta` carries the next seq (1, 2, …), and `message.sync` carries the full text up to
// and including the seq it names (seq null: the answer has ended, the text is final). The channel
// layer may drop frames, so a delta that does not follow the last one applied is held back and
// the client asks for a resync (`conversation.open` again → snapshot + sync).
//
// An answer may wait for the model first (status `queued`): `message.queued` says how many answers
// are ahead of it, again each time that changes, and its first delta (seq 1) turns it `streaming`.
// A queued answer has no text yet, so its position also serves as its sync (seq 0).
import type {
  BranchMessageOut,
  ConversationOut,
  ConversationTitle,
  FeedbackOut,
  MessageDone,
  MessageOut,
  MessageQueued,
  MessageStatus,
  MessageSync,
} from "../contract";

/** A message as the chat shows it: with its siblings (to switch branch), which the server lists
 * in a snapshot and this reducer works out for a message created since. */
export type ChatMessage = MessageOut &
  Pick<BranchMessageOut, "sibling_ids"> & {
    /** While queued: how many answers are ahead of it (unknown until `message.queued` says). */
    queue_position?: number;
  };

/** An answer still being worked on: waiting for the model or streaming (what Stop acts on). */
export function inFlight(status: MessageStatus): boolean {
  return status === "queued" || status === "streaming";
}

/** Where the text of a message that is being generated has got to. */
export interface StreamCursor {
  /** Last seq applied to the text; null while waiting for a sync to give a base. */
  seq: number | null;
  /** Deltas that arrived ahead of a missing one, by seq. */
  pending: Record<number, string>;
}

/** none: in step · wanted: a gap was seen, ask the server · requested: asked, waiting for the snapshot. */
export type ResyncState = "none" | "wanted" | "requested";

export interface ChatState {
  /** The open conversation (null: the "New chat" screen). */
  conversationId: string | null;
  /** Its title and settings, once the server has sent them. */
  conversation: ConversationOut | null;
  messages: Record<string, ChatMessage>;
  /** Ids of the active branch, root first. */
  branch: string[];
  cursors: Record<string, StreamCursor>;
  resync: ResyncState;
}

export type ChatAction =
  /** Another conversation is open (null: "New chat"); its snapshot follows. */
  | { type: "reset"; conversationId: string | null }
  /** The chat this tab started from the "New chat" screen now exists: it becomes the open one. */
  | { type: "started"; conversation: ConversationOut }
  /** New settings or title of a conversation. Only the open one changes; a rename or update of
   * any other (from the sidebar, while "New chat" is on screen) never switches the chat on screen.
   * A new title (`conversation.updated`) carries only the title. */
  | { type: "conversation"; conversation: ConversationOut }
  | { type: "conversationPatch"; patch: ConversationTitle }
  | { type: "snapshot"; conversation: ConversationOut; messages: BranchMessageOut[] }
  | { type: "created"; message: MessageOut }
  | { type: "delta"; message_id: string; seq: number; text: string }
  | ({ type: "queued" } & Pick<MessageQueued, "message_id" | "position">)
  | ({ type: "sync" } & Pick<MessageSync, "message_id" | "seq" | "text" | "status">)
  /** `content` is the whole final text: it settles any gap at the end. */
  | ({ type: "done" } & Pick<MessageDone, "message_id" | "status" | "stats" | "error" | "content">)
  | { type: "resyncRequested" }
  /** The rating the server stored for an answer. */
  | { type: "feedback"; message_id: string; feedback: FeedbackOut | null };

export const emptyChat: ChatState = {
  conversationId: null,
  conversation: null,
  messages: {},
  branch: [],
  cursors: {},
  resync: "none",
};

function union(a: string[], b: string[]): string[] {
  const out = [...a];
  for (const x of b) if (!out.includes(x)) out.push(x);
  return out;
}

/** Applies held-back deltas that now follow on; returns the new text and cursor. */
function drain(text: string, cursor: StreamCursor): { text: string; cursor: StreamCursor } {
  let seq = cursor.seq ?? 0;
  const pending = { ...cursor.pending };
  for (const key of Object.keys(pending)) if (Number(key) <= seq) delete pending[Number(key)];
  while (pending[seq + 1] !== undefined) {
    text += pending[seq + 1];
    delete pending[seq + 1];
    seq += 1;
  }
  return { text, cursor: { seq, pending } };
}

function hasGap(cursor: StreamCursor): boolean {
  return Object.keys(cursor.pending).length > 0;
}

function wantResync(state: ChatState): ResyncState {
  return state.resync === "none" ? "wanted" : state.resync;
}

function withMessage(state: ChatState, message: ChatMessage, cursor?: StreamCursor | null): ChatState {
  const cursors = { ...state.cursors };
  if (cursor === null) delete cursors[message.id];
  else if (cursor) cursors[message.id] = cursor;
  return { ...state, messages: { ...state.messages, [message.id]: message }, cursors };
}

function onCreated(state: ChatState, message: MessageOut): ChatState {
  if (message.conversation_id !== state.conversationId) return state;
  const messages = { ...state.messages };
  let siblings = [message.id];
  for (const other of Object.values(messages)) {
    if (other.id !== message.id && other.parent_id === message.parent_id) {
      siblings = union(other.sibling_ids, siblings);
    }
  }
  for (const id of siblings) {
    if (messages[id]) messages[id] = { ...messages[id], sibling_ids: siblings };
  }
  messages[message.id] = { ...message, sibling_ids: siblings };

  let branch: string[];
  let resync = state.resync;
  if (message.parent_id === null) {
    branch = [message.id];
  } else {
    const at = state.branch.indexOf(message.parent_id);
    if (at >= 0) {
      branch = [...state.branch.slice(0, at + 1), message.id];
    } else {
      // The parent is not on screen: a frame went missing. Show what we have, ask for the truth.
      branch = [...state.branch, message.id];
      resync = wantResync(state);
    }
  }
  const cursors = { ...state.cursors };
  if (inFlight(message.status)) cursors[message.id] = { seq: message.content ? null : 0, pending: {} };
  return { ...state, messages, branch, cursors, resync };
}

/** A queued answer whose text starts (a delta, or a sync with a seq) is streaming now. */
function started(message: ChatMessage): ChatMessage {
  if (message.status !== "queued") return message;
  const { queue_position: _, ...rest } = message;
  return { ...rest, status: "streaming" };
}

function onQueued(state: ChatState, id: string, position: number): ChatState {
  const message = state.messages[id];
  if (!message || message.status !== "queued") return state;
  // No delta is sent before the answer leaves the queue: its position is a sync at seq 0.
  const cursor = state.cursors[id] ?? { seq: null, pending: {} };
  const drained = drain(message.content, { seq: cursor.seq ?? 0, pending: cursor.pending });
  const next = { ...message, content: drained.text, queue_position: position };
  return withMessage(state, drained.cursor.seq ? started(next) : next, drained.cursor);
}

function onDelta(state: ChatState, id: string, seq: number, text: string): ChatState {
  const message = state.messages[id];
  if (!message || !inFlight(message.status)) return state;
  const cursor = state.cursors[id] ?? { seq: null, pending: {} };
  if (cursor.seq !== null && seq <= cursor.seq) return state; // a repeat
  if (cursor.seq === null || seq !== cursor.seq + 1) {
    // Ahead of a missing delta (or of the sync, or place, we wait for): hold it back.
    const held: StreamCursor = { seq: cursor.seq, pending: { ...cursor.pending, [seq]: text } };
    const next = withMessage(state, message, held);
    return cursor.seq === null ? next : { ...next, resync: wantResync(state) };
  }
  const drained = drain(message.content + text, { seq, pending: cursor.pending });
  return withMessage(state, { ...started(message), content: drained.text }, drained.cursor);
}

function onSync(state: ChatState, action: Extract<ChatAction, { type: "sync" }>): ChatState {
  const found = state.messages[action.message_id];
  if (!found || !inFlight(found.status)) return state;
  if (action.seq === null) {
    // The answer ended before the sync was served: this is its stored, final text.
    const status = action.status && !inFlight(action.status) ? action.status : found.status;
    return withMessage(state, { ...found, content: action.text, status }, inFlight(status) ? undefined : null);
  }
  const message = started(found);
  const cursor = state.cursors[action.message_id] ?? { seq: null, pending: {} };
  if (cursor.seq !== null && action.seq < cursor.seq) return state; // older than what is shown
  const drained = drain(action.text, { seq: action.seq, pending: cursor.pending });
  const next = withMessage(state, { ...message, content: drained.text }, drained.cursor);
  return hasGap(drained.cursor) ? { ...next, resync: wantResync(state) } : next;
}

function onDone(
  state: ChatState,
  action: Extract<ChatAction, { type: "done" }>,
): ChatState {
  const found = state.messages[action.message_id];
  if (!found) return state;
  const { queue_position: _, ...message } = found;
  return withMessage(
    state,
    {
      ...message,
      content: action.content,
      status: action.status,
      stats: action.stats ?? message.stats,
      error: action.error,
    },
    null,
  );
}

function onSnapshot(state: ChatState, conversation: ConversationOut, list: BranchMessageOut[]): ChatState {
  const sameConversation = state.conversationId === conversation.id;
  const messages: Record<string, ChatMessage> = sameConversation ? { ...state.messages } : {};
  const cursors: Record<string, StreamCursor> = {};
  for (const incoming of list) {
    const known = sameConversation ? state.cursors[incoming.id] : undefined;
    const local = messages[incoming.id];
    if (inFlight(incoming.status) && known && known.seq !== null && local) {
      // Our text is at least as new as the last checkpoint; the sync that follows settles it.
      // A place in the queue already heard stays until the next one comes.
      messages[incoming.id] = { ...incoming, content: local.content, queue_position: local.queue_position };
      cursors[incoming.id] = known;
    } else {
      messages[incoming.id] = incoming;
      if (inFlight(incoming.status)) cursors[incoming.id] = { seq: null, pending: known?.pending ?? {} };
    }
  }
  return { conversationId: conversation.id, conversation, messages, branch: list.map((m) => m.id), cursors, resync: "none" };
}

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case "reset":
      return { ...emptyChat, conversationId: action.conversationId };
    case "started":
      if (state.conversationId) return state;
      return { ...state, conversationId: action.conversation.id, conversation: action.conversation };
    case "conversation":
      if (state.conversationId !== action.conversation.id) return state;
      return { ...state, conversation: action.conversation };
    case "conversationPatch":
      if (!state.conversation || state.conversation.id !== action.patch.id) return state;
      return { ...state, conversation: { ...state.conversation, ...action.patch } };
    case "snapshot":
      return onSnapshot(state, action.conversation, action.messages);
    case "created":
      return onCreated(state, action.message);
    case "delta":
      return onDelta(state, action.message_id, action.seq, action.text);
    case "queued":
      return onQueued(state, action.message_id, action.position);
    case "sync":
      return onSync(state, action);
    case "done":
      return onDone(state, action);
    case "resyncRequested":
      return state.resync === "wanted" ? { ...state, resync: "requested" } : state;
    case "feedback": {
      const message = state.messages[action.message_id];
      if (!message) return state;
      return withMessage(state, { ...message, feedback: action.feedback });
    }
  }
}

/** The answer queued or being generated on the active branch, if any (what Stop and Esc act on). */
export function streamingMessage(state: ChatState): ChatMessage | null {
  for (const id of state.branch) {
    const m = state.messages[id];
    if (m && inFlight(m.status)) return m;
  }
  return null;
}
