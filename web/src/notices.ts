// The banner over the chat: an error's sentence (errorText.ts, chosen by its code) in the calmer
// warning colour when the code means "wait a little".
import type { ModelsOut } from "./contract";
import { errorText, type AppErrorCode, type ErrorContext, type ErrorParams } from "./errorText";

export interface Notice {
  kind: "limit" | "other";
  title: string;
  advice: string;
}

/** Codes that mean "wait a little", shown in the warning colour rather than the error one. */
const WAIT_CODES: ReadonlySet<AppErrorCode> = new Set<AppErrorCode>([
  "rate_limited",
  "busy",
  "too_many_generations",
  "model_server_busy",
  "model_queue_full",
]);

/** The banner for an error the server (or the app) reported while doing `context`. */
export function errorNotice(error: { code: AppErrorCode; params?: ErrorParams }, context?: ErrorContext): Notice {
  const { title, advice } = errorText(error.code, context, error.params);
  return { kind: WAIT_CODES.has(error.code) ? "limit" : "other", title, advice };
}

/** A notice up front when GET /api/models says Ollama could not be reached. */
export function modelsNotice(models: Pick<ModelsOut, "ollama_error">): Notice | null {
  return models.ollama_error ? errorNotice(models.ollama_error, "models") : null;
}
