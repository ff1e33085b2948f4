// What to tell a person when something fails: what happened in plain words and what to do next.
// The server's own message is always shown too, so an unknown code still explains itself.
import type { ModelList } from "./types";

export interface Notice {
  kind: "down" | "limit" | "busy" | "model" | "auth" | "other";
  title: string;
  advice: string;
  detail: string;
}

const RULES: Array<{ test: RegExp; kind: Notice["kind"]; title: string; advice: string }> = [
  {
    test: /rate_limit|too_many_requests|throttl|quota/,
    kind: "limit",
    title: "You are sending messages too fast",
    advice: "Wait a minute, then send again. Your text is still in the box.",
  },
  {
    test: /too_many_generations/,
    kind: "limit",
    title: "Too many answers at once",
    advice: "Wait for one of your answers to finish, or stop it (■ Stop or Esc), then send again.",
  },
  {
    test: /^busy |still being generated/,
    kind: "busy",
    title: "An answer is still being written here",
    advice: "Stop it (■ Stop or Esc) or wait for it to finish, then send again.",
  },
  {
    test: /model .*not (available|found)|model_not_found|unknown_model/,
    kind: "model",
    title: "That model is not available",
    advice: "Pick another model in the conversation settings (⚙), or ask an admin to register it.",
  },
  {
    test: /ollama.*busy|queue|overload/,
    kind: "busy",
    title: "The model server is busy",
    advice: "Try again in a few seconds (↻ Regenerate keeps your question).",
  },
  {
    test: /ollama|model_server|unreachable|not reachable|went away|did not answer/,
    kind: "down",
    title: "The model server is not answering",
    advice: "Make sure Ollama is running (make run starts one) or that OLLAMA_HOST points at it, then press ↻ Regenerate.",
  },
  {
    test: /unauthenticated|not_authenticated|log in|forbidden|csrf/,
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

/** A notice up front when GET /api/models says Ollama could not be reached. */
export function modelsNotice(models: ModelList): Notice | null {
  if (!models.ollama_error) return null;
  return {
    kind: "down",
    title: "The model server is not answering",
    advice: "Answers will fail until Ollama is running (make run starts one) or OLLAMA_HOST points at it.",
    detail: models.ollama_error,
  };
}
