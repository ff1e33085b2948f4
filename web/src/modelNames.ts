// Turns loosely shaped server payloads into the types the UI works with. The server may omit
// optional fields, send an error as a bare string, or list models as objects; normalising at the
// edge keeps every component free of `?? []` and shape checks.
import type { Conversation, Message, ModelList, ServerError } from "./types";

export function normalizeError(error: unknown): ServerError | null {
  if (error === null || error === undefined || error === "") return null;
  if (typeof error === "string") return { code: "error", message: error };
  if (typeof error === "object") {
    const e = error as { code?: unknown; message?: unknown };
    return {
      code: typeof e.code === "string" ? e.code : "error",
      message: typeof e.message === "string" ? e.message : JSON.stringify(error),
    };
  }
  return { code: "error", message: String(error) };
}

export function normalizeMessage(raw: unknown): Message {
  const m = raw as Partial<Message> & { id: string; _id?: string; error?: unknown };
  const id = String(m.id ?? m._id);
  const siblings = Array.isArray(m.sibling_ids) ? m.sibling_ids.map(String) : [];
  return {
    id,
    conversation_id: String(m.conversation_id),
    parent_id: m.parent_id ? String(m.parent_id) : null,
    role: m.role ?? "assistant",
    content: m.content ?? "",
    status: m.status ?? "complete",
    model: m.model ?? null,
    error: normalizeError(m.error),
    stats: m.stats ?? null,
    feedback: m.feedback ?? null,
    sibling_ids: siblings.includes(id) ? siblings : [...siblings, id],
    created_at: m.created_at,
  };
}

export function normalizeConversation(raw: unknown): Conversation {
  const c = raw as Partial<Conversation> & { _id?: string };
  return {
    id: String(c.id ?? c._id),
    title: c.title || "New chat",
    model: c.model ?? null,
    system_prompt: c.system_prompt ?? "",
    active_leaf_id: c.active_leaf_id ?? null,
    created_at: c.created_at,
    updated_at: c.updated_at,
  };
}

/** `GET /api/models` and the `models.changed` frame: names as strings, or objects with a name. */
export function normalizeModels(raw: unknown): ModelList {
  const r = (raw ?? {}) as { default_model?: unknown; default?: unknown; models?: unknown; ollama_error?: unknown };
  const models = Array.isArray(r.models)
    ? r.models
        .map((m) => (typeof m === "string" ? m : (m as { name?: unknown; model?: unknown })?.name ?? (m as { model?: unknown })?.model))
        .filter((m): m is string => typeof m === "string")
    : [];
  const def = r.default_model ?? r.default;
  return {
    default_model: typeof def === "string" ? def : (models[0] ?? null),
    models,
    ollama_error: typeof r.ollama_error === "string" ? r.ollama_error : null,
  };
}

/** Ollama names an untagged model `name:latest`; people call it `name`. */
export function modelLabel(name: string): string {
  return name.endsWith(":latest") ? name.slice(0, -":latest".length) : name;
}

/** The entry of `models` that names the same model as `name` (with or without `:latest`). */
export function matchModel(name: string, models: string[]): string | null {
  return models.find((m) => modelLabel(m) === modelLabel(name)) ?? null;
}
