// The HTTP side of the contract (/api/...). Same origin, session cookie, Django's CSRF token on
// every unsafe method; failures become ApiError carrying the server's code and message so the
// UI can say what went wrong and what to do.
import { normalizeConversation, normalizeMessage, normalizeModels } from "./protocol";
import type { Conversation, Message, ModelList, User } from "./types";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function readCookie(name: string, cookies: string = document.cookie): string | null {
  for (const part of cookies.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return null;
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") {
    const token = readCookie("csrftoken");
    if (token) headers["X-CSRFToken"] = token;
  }
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "network", "The server cannot be reached. Check your connection; the page retries by itself.");
  }
  const text = await response.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    const err = (data as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(
      response.status,
      err?.code ?? `http_${response.status}`,
      err?.message ?? `The server answered ${response.status} ${response.statusText}.`,
    );
  }
  return data as T;
}

function pickUser(data: unknown): User {
  const d = data as { user?: User } & User;
  return d.user ?? d;
}

export interface ConversationPage {
  items: Conversation[];
  next_cursor: string | null;
}

export const api = {
  me: async (): Promise<User | null> => {
    try {
      return pickUser(await request("GET", "/api/auth/me"));
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.status === 403)) return null;
      throw e;
    }
  },
  login: async (username: string, password: string): Promise<User> =>
    pickUser(await request("POST", "/api/auth/login", { username, password })),
  register: async (username: string, email: string, password: string): Promise<User> =>
    pickUser(await request("POST", "/api/auth/register", { username, email, password })),
  logout: () => request<unknown>("POST", "/api/auth/logout"),

  conversations: async (q: string, cursor: string | null): Promise<ConversationPage> => {
    const params = new URLSearchParams();
    if (q) params.set("q", q);
    if (cursor) params.set("cursor", cursor);
    const data = await request<Record<string, unknown>>("GET", `/api/conversations?${params}`);
    const list = (data.items ?? data.conversations ?? data.results ?? []) as unknown[];
    return { items: list.map(normalizeConversation), next_cursor: (data.next_cursor as string | null) ?? null };
  },
  conversation: async (id: string): Promise<Conversation> => {
    const data = await request<Record<string, unknown>>("GET", `/api/conversations/${id}`);
    return normalizeConversation(data.conversation ?? data);
  },
  updateConversation: async (
    id: string,
    patch: Partial<Pick<Conversation, "title" | "model" | "system_prompt" | "active_leaf_id">>,
  ): Promise<Conversation> => {
    const data = await request<Record<string, unknown>>("PATCH", `/api/conversations/${id}`, patch);
    return normalizeConversation(data.conversation ?? data);
  },
  deleteConversation: (id: string) => request<unknown>("DELETE", `/api/conversations/${id}`),
  messages: async (id: string): Promise<Message[]> => {
    const data = await request<Record<string, unknown> | unknown[]>("GET", `/api/conversations/${id}/messages`);
    const list = (Array.isArray(data) ? data : (data.messages ?? data.items ?? [])) as unknown[];
    return list.map(normalizeMessage);
  },
  feedback: (messageId: string, rating: "up" | "down") =>
    request<unknown>("POST", `/api/messages/${messageId}/feedback`, { rating }),
  models: async (): Promise<ModelList> => normalizeModels(await request("GET", "/api/models")),
};
