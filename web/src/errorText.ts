// What a person reads when something fails: what happened and what to do, picked by the error's
// `code` (contract.ts) and by what the app was doing. The server's `message` is written for
// programs and logs (field names, validator wording, hosts) and is never the sentence shown.
// This table is the one place the app's error wording lives, so an interface language is one
// more table of the same type: it must explain every code, or it does not compile.
import type { ErrorCode, ErrorInfo } from "./contract";
import type { FormProblem } from "./formChecks";
import { modelLabel } from "./modelNames";

/** Codes the app gives its own failures: the server could not be reached at all. */
export type ClientErrorCode = "network";
/** Every code a sentence can be asked for. */
export type AppErrorCode = ErrorCode | ClientErrorCode;
/** What the server's `params` may hold: what a sentence needs (seconds, the model, what was missing). */
export type ErrorParams = NonNullable<ErrorInfo["params"]>;

/** Why a training run failed: the worker's codes (a run's `error.code`), not the API's. */
export type RunFailure = "worker_lost" | "dataset_failed" | "train_failed" | "eval_failed" | "export_failed" | "register_failed";

/** What the app was doing when the error came: the same code can need other words per form. */
export type ErrorContext = "login" | "register" | "chat" | "rename" | "settings" | "load" | "models" | "run";

export interface ErrorText {
  title: string;
  advice: string;
}

/** A sentence, or one built from the error's params. */
type Sentence = ErrorText | ((params: ErrorParams) => ErrorText);

const RELOAD = "Reload the page and try again.";
const SIGN_IN_AGAIN: ErrorText = { title: "You are signed out", advice: "Sign in again to continue." };
const OUT_OF_DATE: ErrorText = { title: "The page is out of date", advice: RELOAD };
const NOT_UNDERSTOOD: ErrorText = { title: "The page sent something the server did not understand", advice: RELOAD };
const TOO_LONG: ErrorText = { title: "That message is too long", advice: "Shorten it and send again. Your text is still in the box." };
const ADMIN_ONLY: ErrorText = { title: "You cannot do this", advice: "Only an administrator can; ask one." };

function seconds(params: ErrorParams): number | null {
  const s = params.retry_after_s;
  return typeof s === "number" && s > 0 ? Math.ceil(s) : null;
}

/** "Wait …, then …" for as long as the server said (a minute when it did not say). */
function waitAdvice(params: ErrorParams, then: string): string {
  const s = seconds(params);
  const wait =
    s === null || (s >= 60 && s <= 90)
      ? "a minute"
      : s === 1
        ? "a second"
        : s < 60
          ? `${s} seconds`
          : `${Math.ceil(s / 60)} minutes`;
  return `Wait ${wait}, then ${then}`;
}

/** The first sentence for every code the server sends, and the app's own. */
const TEXT: Record<AppErrorCode, Sentence> = {
  // Anywhere
  network: { title: "The server cannot be reached", advice: "Check your connection; the page retries by itself." },
  internal: { title: "Something went wrong on the server", advice: "Try again; if it keeps happening, tell an admin." },
  unavailable: { title: "The server is briefly unable to reach its storage", advice: "Wait a few seconds, then try again." },
  // Signing in, and who may do what
  unauthenticated: SIGN_IN_AGAIN,
  invalid_token: SIGN_IN_AGAIN,
  signed_out: SIGN_IN_AGAIN,
  invalid_credentials: SIGN_IN_AGAIN,
  forbidden: ADMIN_ONLY,
  csrf_failed: OUT_OF_DATE,
  rate_limited: (p) => ({
    title: "You are sending messages too fast",
    advice: waitAdvice(p, "send again. Your text is still in the box."),
  }),
  // Requests the server cannot read
  no_such_endpoint: OUT_OF_DATE,
  method_not_allowed: OUT_OF_DATE,
  unsupported_media_type: OUT_OF_DATE,
  body_too_large: { title: "That is too much text to save at once", advice: "Shorten it and try again." },
  invalid_id: { title: "That conversation or message does not exist", advice: "Pick another one in the list." },
  invalid_query: { title: "The list could not be loaded", advice: RELOAD },
  invalid_cursor: { title: "The list could not be loaded", advice: RELOAD },
  invalid_body: { title: "The server did not accept that", advice: RELOAD },
  invalid_import: { title: "That file cannot be imported", advice: "Import a file that hadra exported, unchanged." },
  empty_patch: { title: "Nothing to save", advice: "Change something first." },
  // Frames the socket cannot read
  bad_json: NOT_UNDERSTOOD,
  bad_frame: NOT_UNDERSTOOD,
  unknown_type: OUT_OF_DATE,
  invalid_frame: { title: "The page sent something the server did not accept", advice: RELOAD },
  frame_too_large: TOO_LONG,
  // What the chat refuses
  not_found: (p) => ({
    title:
      p.what === "conversation"
        ? "That conversation no longer exists"
        : p.what === "message"
          ? "That message no longer exists"
          : "That conversation or message no longer exists",
    advice: "Pick another one in the list.",
  }),
  empty_content: { title: "The message is empty", advice: "Type something, then send." },
  content_too_long: TOO_LONG,
  busy: { title: "An answer is still being written here", advice: "Stop it (■ Stop or Esc) or wait for it to finish, then send again." },
  too_many_generations: {
    title: "Too many answers at once",
    advice: "Wait for one of your answers to finish, or stop it (■ Stop or Esc), then send again.",
  },
  not_streaming: { title: "That answer has already finished", advice: "Nothing to stop." },
  invalid_parent: { title: "That message cannot be answered from here", advice: RELOAD },
  invalid_message: { title: "That message cannot be changed this way", advice: RELOAD },
  not_an_answer: { title: "Only answers can be rated", advice: "Rate one of the assistant's answers." },
  still_streaming: { title: "This answer is still being written", advice: "Rate it when it is done." },
  // Accounts
  username_taken: { title: "That username is taken", advice: "Pick another one." },
  email_taken: { title: "An account with this email exists", advice: "Sign in instead, or use another email." },
  account_disabled: {
    title: "This account is disabled",
    advice: "Contact the administrator of this server to have it enabled again.",
  },
  signup_closed: {
    title: "Sign-up is closed on this server",
    advice: "Ask the administrator of this server for an account.",
  },
  // Accounts (administrators)
  cannot_change_self: {
    title: "You cannot do this to your own account",
    advice: "Ask another administrator to disable it or remove its staff rights.",
  },
  last_staff: {
    title: "This is the last administrator",
    advice: "Make another account an administrator first, then try again.",
  },
  // Model versions (administrators)
  name_taken: { title: "That name is taken", advice: "Pick another name for this version." },
  version_active: { title: "This version is the one in use", advice: "Activate another version first." },
  not_active: { title: "This version is not the one in use", advice: "Nothing to roll back." },
  model_not_in_ollama: {
    title: "The model server does not have this model",
    advice: "Create it in Ollama first, then activate it again.",
  },
  eval_gate: (p) => ({
    title:
      typeof p.version_bpb === "number" && typeof p.active_bpb === "number"
        ? `This version scores worse than the active model (${p.version_bpb.toFixed(3)} vs ${p.active_bpb.toFixed(3)} bits per byte)`
        : "This version has no score comparable with the active model's",
    advice: "Evaluate it on the same held-out set, or give a reason to activate it anyway (it is recorded).",
  }),
  // Training runs (administrators)
  unknown_preset: { title: "There is no such training preset", advice: "Pick one of the presets listed." },
  run_finished: { title: "This run has already ended", advice: "Start a new run instead." },
  // Why an answer failed
  model_not_found: (p) => ({
    title:
      typeof p.model === "string" && p.model
        ? `The model “${modelLabel(p.model)}” is not available`
        : "That model is not available",
    advice: "Pick another model in the conversation settings (⚙), or ask an admin to install it, then press ↻ Regenerate.",
  }),
  model_server_unavailable: {
    title: "The model server is not answering",
    advice: "Make sure Ollama is running (make run starts one) or that OLLAMA_HOST points at it, then press ↻ Regenerate.",
  },
  model_server_busy: { title: "The model server is busy", advice: "Try again in a few seconds (↻ Regenerate keeps your question)." },
  model_queue_full: (params) => ({
    title: "The model is busy",
    advice: `${typeof params.limit === "number" ? `${params.limit} answers are` : "Many answers are"} already waiting for it; wait a minute, then send again. Your text is still in the box.`,
  }),
  model_server_timeout: {
    title: "The model server took too long to answer",
    advice: "Press ↻ Regenerate to try again; a smaller model answers sooner.",
  },
  model_server_error: {
    title: "The model server could not answer",
    advice: "Press ↻ Regenerate to try again; if it keeps happening, tell an admin.",
  },
  answer_cut_short: {
    title: "The answer was cut short",
    advice: "The model server stopped in the middle of it. Press ↻ Regenerate for a whole answer.",
  },
  database_gone: {
    title: "The answer could not be saved",
    advice: "The server lost its database while answering. Wait a few seconds, then press ↻ Regenerate.",
  },
  interrupted: {
    title: "The answer was interrupted",
    advice: "The server restarted while answering. Press ↻ Regenerate to try again.",
  },
  answer_failed: {
    title: "The answer failed",
    advice: "Press ↻ Regenerate to try again; if it keeps happening, tell an admin.",
  },
};

/** Where a form or screen needs other words for a code, or the app's own check found a problem. */
const IN_CONTEXT: { [C in ErrorContext]?: { [K in AppErrorCode | FormProblem | RunFailure]?: Sentence } } = {
  login: {
    invalid_credentials: { title: "Wrong username or password", advice: "Check both and try again." },
    rate_limited: (p) => ({ title: "Too many sign-in attempts", advice: waitAdvice(p, "try again.") }),
    invalid_body: { title: "Enter your username and password", advice: "Both are needed to sign in." },
    missing: { title: "Enter your username and password", advice: "Both are needed to sign in." },
  },
  register: {
    rate_limited: (p) => ({ title: "Too many sign-ups from your network", advice: waitAdvice(p, "try again.") }),
    invalid_body: {
      title: "Check the form",
      advice: "A username has 3 to 40 letters, digits, _, . or -; the email must be a real address; a password has at least 8 characters.",
    },
    username: { title: "Pick another username", advice: "Use 3 to 40 letters, digits, _, . or -." },
    email: { title: "Enter your email address", advice: "Like name@example.com." },
    password: { title: "Choose a longer password", advice: "A password has at least 8 characters." },
  },
  rename: { invalid_body: { title: "That title cannot be used", advice: "A title has 1 to 200 characters." } },
  settings: {
    invalid_body: { title: "Those settings cannot be saved", advice: "Shorten the system prompt, or pick a model from the list." },
  },
  load: { not_found: { title: "That conversation no longer exists", advice: "Pick another one in the list." } },
  run: {
    worker_lost: {
      title: "The training worker stopped in the middle of this run",
      advice: "Its log is below. Start a new run; it starts clean.",
    },
    dataset_failed: { title: "Building the training data failed", advice: "Read the log below, fix the cause, then start a new run." },
    train_failed: { title: "Training failed", advice: "Read the log below, fix the cause, then start a new run." },
    eval_failed: {
      title: "Scoring the new model on the held-out rows failed",
      advice: "Read the log below, fix the cause, then start a new run.",
    },
    export_failed: { title: "Exporting the trained model failed", advice: "Read the log below, fix the cause, then start a new run." },
    register_failed: {
      title: "Handing the new model to the model server failed",
      advice: "Make sure Ollama is running (make run starts one), then start a new run.",
    },
  },
  models: {
    model_server_unavailable: {
      title: "The model server is not answering",
      advice: "Answers will fail until Ollama is running (make run starts one) or OLLAMA_HOST points at it.",
    },
  },
};

/** For a code this version of the app does not know (an older page talking to a newer server). */
export const GENERIC_ERROR: ErrorText = {
  title: "Something went wrong",
  advice: "Try again; if it keeps happening, reload the page or tell an admin.",
};

function resolve(sentence: Sentence | undefined, params: ErrorParams): ErrorText | undefined {
  return typeof sentence === "function" ? sentence(params) : sentence;
}

/** The sentence for `code`, in `context`'s words where it has its own. */
export function errorText(code: AppErrorCode | FormProblem | RunFailure, context?: ErrorContext, params: ErrorParams = {}): ErrorText {
  const own = context ? resolve(IN_CONTEXT[context]?.[code], params) : undefined;
  // A server newer than this page may send a code the table does not name yet.
  return own ?? resolve(Object.hasOwn(TEXT, code) ? TEXT[code as AppErrorCode] : undefined, params) ?? GENERIC_ERROR;
}

/** The same, as one line for a form: "Title. Advice" */
export function errorSentence(code: AppErrorCode | FormProblem | RunFailure, context?: ErrorContext, params?: ErrorParams): string {
  const { title, advice } = errorText(code, context, params);
  return `${title}. ${advice}`;
}

/** Every code and `context:code` the tables name (for tests that check each sentence). */
export const ERROR_KEYS: readonly string[] = [
  ...Object.keys(TEXT),
  ...Object.entries(IN_CONTEXT).flatMap(([context, table]) => Object.keys(table ?? {}).map((code) => `${context}:${code}`)),
];
