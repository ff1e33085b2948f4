// What the server sends, built whole for tests: every field the contract has (contract.ts), so a
// test frame is a frame the server could send, and a change of the contract is a type error here.
import type {
  BranchMessageOut,
  ConversationOut,
  ErrorCode,
  ErrorInfo,
  MessageDone,
  MeOut,
  MessageOut,
  ModelsOut,
  Stats,
  UserOut,
} from "../contract";

const AT = "2026-01-01T00:00:00Z";

export function conversationOut(fields: Partial<ConversationOut> & Pick<ConversationOut, "id">): ConversationOut {
  return { title: null, model: null, model_note: null, system_prompt: "", active_leaf_id: null, created_at: AT, updated_at: AT, ...fields };
}

export function messageOut(
  fields: Partial<MessageOut> & Pick<MessageOut, "id" | "conversation_id" | "parent_id" | "role">,
): MessageOut {
  return { content: "", status: "complete", model: null, error: null, stats: null, feedback: null, created_at: AT, updated_at: AT, ...fields };
}

/** A message as a snapshot lists it: with its siblings (only itself unless told). */
export function branchMessage(
  fields: Partial<BranchMessageOut> & Pick<BranchMessageOut, "id" | "conversation_id" | "parent_id" | "role">,
): BranchMessageOut {
  const sibling_ids = fields.sibling_ids ?? [fields.id];
  return { ...messageOut(fields), sibling_ids, sibling_index: sibling_ids.indexOf(fields.id), ...fields };
}

export function userOut(fields: Partial<UserOut> & Pick<UserOut, "username">): UserOut {
  return { id: `id-${fields.username}`, email: `${fields.username}@example.com`, is_staff: false, created_at: AT, ...fields };
}

/** GET /api/auth/me for a signed-in browser: an account with its settings as a new one has them. */
export function meOut(fields: Partial<MeOut> & Pick<MeOut, "username">): MeOut {
  return {
    ...userOut(fields),
    auth_method: "session",
    exclude_from_training: false,
    language: null,
    theme: "system",
    default_model: null,
    default_system_prompt: "",
    default_model_notice: null,
    ...fields,
  };
}

export function modelsOut(fields: Partial<ModelsOut> = {}): ModelsOut {
  return { default_model: "gemma3", models: ["gemma3"], active_version: null, ollama_error: null, ...fields };
}

export function errorInfo(code: ErrorCode, message = "The server's own words, for logs.", params: ErrorInfo["params"] = {}): ErrorInfo {
  return { code, message, params };
}

/** `message.done` for an answer that ended with `content` (and, when it failed, `error`). */
export function messageDone(fields: Partial<MessageDone> & Pick<MessageDone, "message_id" | "status" | "content">): MessageDone {
  return { type: "message.done", stats: null, error: null, seq: 0, ...fields };
}

/** Stats as the server sends them: every figure, null where Ollama reported none. */
export function stats(fields: Partial<Stats> = {}): Stats {
  return { ttft_ms: null, eval_count: null, tokens_per_s: null, prompt_eval_count: null, total_ms: null, load_ms: null, ...fields };
}
