// Ready-to-run lines that use a new token, for this server as the browser reached it: the chat
// socket (ws:// on http, wss:// on https; a token travels in the Authorization header, which the
// socket's sign-in reads: access/ws_auth.py) and the HTTP API (the same header).

export interface TokenExamples {
  socket: string;
  http: string;
}

/** Shell-quoted for a POSIX shell: the secret is URL-safe, but the host may not be. */
function quoted(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

export function tokenExamples(token: string, where: Pick<Location, "protocol" | "host">): TokenExamples {
  const secure = where.protocol === "https:";
  const header = quoted(`Authorization: Bearer ${token}`);
  const socketUrl = `${secure ? "wss" : "ws"}://${where.host}/ws/chat/`;
  const frame = JSON.stringify({ type: "chat.send", conversation_id: null, content: "Wach rak?", request_id: "1" });
  return {
    socket: `websocat -H ${header} ${socketUrl}\n${frame}`,
    http: `curl -H ${header} ${secure ? "https" : "http"}://${where.host}/api/conversations`,
  };
}
