// Shapes of what the server sends (see /work/shared/DESIGN.md, "WebSocket protocol" and "HTTP").
// Kept in one module so a change of the wire format is a change in one place.

export type Role = "user" | "assistant" | "system";
export type MessageStatus = "complete" | "streaming" | "stopped" | "failed" | "interrupted";

export interface Stats {
  ttft_ms?: number | null;
  eval_count?: number | null;
  tokens_per_s?: number | null;
  prompt_eval_count?: number | null;
  total_ms?: number | null;
}

/** An error as the server describes it: either a code + message, or (older frames) a bare string. */
export interface ServerError {
  code: string;
  message: string;
}

export interface Message {
  id: string;
  conversation_id: string;
  parent_id: string | null;
  role: Role;
  content: string;
  status: MessageStatus;
  model?: string | null;
  error?: ServerError | null;
  stats?: Stats | null;
  feedback?: { rating: "up" | "down"; note?: string | null } | null;
  /** Ids of every child of this message's parent, this one included, oldest first. */
  sibling_ids: string[];
  created_at?: string;
}

export interface Conversation {
  id: string;
  title: string;
  model?: string | null;
  system_prompt?: string | null;
  active_leaf_id?: string | null;
  created_at?: string;
  updated_at?: string;
}

export interface User {
  id?: string;
  username: string;
  email?: string;
  is_staff?: boolean;
}

export interface ModelList {
  default_model: string | null;
  models: string[];
  /** Why `models` is empty: Ollama could not be reached (GET /api/models). */
  ollama_error?: string | null;
}

/** Frames the server sends over /ws/chat/. */
export type ServerFrame =
  | { type: "conversation.created"; conversation: Conversation; request_id?: string }
  | { type: "conversation.snapshot"; conversation: Conversation; messages: Message[]; request_id?: string }
  | { type: "message.created"; message: Message; request_id?: string }
  | { type: "message.delta"; message_id: string; seq: number; text: string }
  | { type: "message.sync"; message_id: string; seq: number | null; text: string; status?: MessageStatus }
  | {
      type: "message.done";
      message_id: string;
      status: MessageStatus;
      stats?: Stats | null;
      error?: ServerError | string | null;
      content?: string | null;
      seq?: number | null;
    }
  | { type: "conversation.updated"; conversation: Partial<Conversation> & { id: string } }
  | { type: "conversation.deleted"; conversation_id: string }
  | { type: "models.changed"; default_model: string | null; models: unknown[] }
  | { type: "error"; code: string; message: string; request_id?: string }
  | { type: "pong"; request_id?: string };

/** Frames the browser sends. */
export type ClientFrame =
  | {
      type: "chat.send";
      conversation_id: string | null;
      content: string;
      parent_id?: string | null;
      model?: string;
      system_prompt?: string;
    }
  | { type: "chat.stop"; message_id: string }
  | { type: "chat.regenerate"; message_id: string }
  | { type: "chat.edit"; message_id: string; content: string }
  | { type: "conversation.open"; conversation_id: string }
  | { type: "conversation.close"; conversation_id: string }
  | { type: "ping" };
