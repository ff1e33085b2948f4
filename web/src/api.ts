// The HTTP side of the contract (/api/...). Same origin, session cookie, Django's CSRF token on
// every unsafe method. Replies are the contract's shapes (contract.ts) as the server sends them;
// a failure becomes an ApiError carrying the server's error (code, params) so the UI can say what
// went wrong and what to do in its own words.
import type {
  ConversationOut,
  ConversationPageOut,
  ConversationPatch,
  ErrorInfo,
  ErrorReply,
  FeedbackIn,
  LoginIn,
  MeOut,
  MessageOut,
  ModelsOut,
  RegisterIn,
  UserOut,
} from "./contract";
import type { AppErrorCode, ErrorParams } from "./errorText";

export class ApiError extends Error {
  readonly params: ErrorParams;

  constructor(
    readonly status: number,
    readonly code: AppErrorCode,
    message: string,
    params: ErrorParams = {},
  ) {
    super(message);
    this.params = params;
  }
}

export function readCookie(name: string, cookies: string = document.cookie): string | null {
  for (const part of cookies.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return null;
}

/** The server's error from a failed reply; a reply that is not the contract's (a proxy's page
 * while the server is down) is told as the server not being reachable. */
function errorOf(status: number, data: unknown): ApiError {
  const error = (data as Partial<ErrorReply> | null)?.error as ErrorInfo | undefined;
  if (error && typeof error.code === "string") return new ApiError(status, error.code, error.message, error.params);
  return new ApiError(status, status >= 502 ? "network" : "internal", `The server answered ${status}.`);
}

/** One call to the JSON API (the admin console's calls, loaded with it, use it too). */
export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
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
    throw new ApiError(0, "network", "The server cannot be reached.");
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
  if (!response.ok) throw errorOf(response.status, data);
  return data as T;
}

export const api = {
  me: async (): Promise<MeOut | null> => {
    try {
      return await request<MeOut>("GET", "/api/auth/me");
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.status === 403)) return null;
      throw e;
    }
  },
  login: (body: LoginIn) => request<UserOut>("POST", "/api/auth/login", body),
  register: (body: RegisterIn) => request<UserOut>("POST", "/api/auth/register", body),
  logout: () => request<null>("POST", "/api/auth/logout"),

  conversations: (cursor: string | null): Promise<ConversationPageOut> => {
    const params = new URLSearchParams();
    if (cursor) params.set("cursor", cursor);
    return request<ConversationPageOut>("GET", `/api/conversations?${params}`);
  },
  updateConversation: (id: string, patch: ConversationPatch) =>
    request<ConversationOut>("PATCH", `/api/conversations/${id}`, patch),
  deleteConversation: (id: string) => request<null>("DELETE", `/api/conversations/${id}`),
  feedback: (messageId: string, body: FeedbackIn) => request<MessageOut>("POST", `/api/messages/${messageId}/feedback`, body),
  models: () => request<ModelsOut>("GET", "/api/models"),
  /** A conversation from a JSON export (the export's document as the body); the new copy. */
  importConversation: (doc: unknown) => request<ConversationOut>("POST", "/api/conversations/import", doc),
};
