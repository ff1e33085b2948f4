// What to tell a person when something fails: what happened in plain words and what to do next.
// The server's own message is always shown too, so an unknown code still explains itself.

export interface Notice {
  kind: "down" | "limit" | "busy" | "model" | "auth" | "other";
  title: string;
  advice: string;
  detail: string;
}

const RULES: Array<{ test: RegExp; kind: Notice["kind"]; title: string; advice: string }> = [
  {
    test: /rate|too_many|throttl|quota|limit/,
    kind: "limit",
    title: "You are sending messages too fast",
    advice: "Wait a minute, then send again. Your text is still in the box.",
  },
  {
    test: /concurren|busy|queue|overload|503/,
    kind: "busy",
    title: "The model server is busy",
    advice: "Wait for the current answer to finish (or stop it), then try again in a few seconds.",
  },
  {
    test: /not_found.*model|model.*(not_found|unknown|missing)|unknown_model/,
    kind: "model",
    title: "That model is not available",
    advice: "Pick another model in the conversation settings (⚙), or ask an admin to register it.",
  },
  {
    test: /ollama|model_server|upstream|unavailable|connect|gateway|timeout/,
    kind: "down",
    title: "The model server is not answering",
    advice: "Make sure Ollama is running and reachable (OLLAMA_HOST), then press ↻ Regenerate.",
  },
  {
    test: /auth|login|forbidden|permission|csrf|session/,
    kind: "auth",
    title: "You are not signed in",
    advice: "Reload the page and log in again.",
  },
];

export function describeError(code: string, message: string): Notice {
  const key = `${code} ${message}`.toLowerCase();
  for (const rule of RULES) {
    if (rule.test.test(key)) return { kind: rule.kind, title: rule.title, advice: rule.advice, detail: message };
  }
  return { kind: "other", title: "Something went wrong", advice: "Try again; if it keeps happening, tell an admin.", detail: message };
}
