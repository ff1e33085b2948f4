// The error sentences in English: what happened and what to do, by the error's code (contract.ts)
// and by what the app was doing (errorText.ts picks one). French and Arabic are tables of the same
// type (ErrorsText), so a code left out of one does not compile.
import type { ErrorParams, ErrorText, Sentence } from "../../errorText";
import { modelLabel } from "../../modelNames";
import type { ErrorsText } from "./index";

const RELOAD = "Reload the page and try again.";
const SIGN_IN_AGAIN: ErrorText = { title: "You are signed out", advice: "Sign in again to continue." };
const OUT_OF_DATE: ErrorText = { title: "The page is out of date", advice: RELOAD };
const NOT_UNDERSTOOD: ErrorText = { title: "The page sent something the server did not understand", advice: RELOAD };
const TOO_LONG: ErrorText = { title: "That message is too long", advice: "Shorten it and send again. Your text is still in the box." };
const ADMIN_ONLY: ErrorText = { title: "You cannot do this", advice: "Only an administrator can; ask one." };
const FIX_AND_RESTART = "Read the log below, fix the cause, then start a new run.";

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

const inContext = {
  login: {
    invalid_credentials: { title: "Wrong username or password", advice: "Check both and try again." },
    rate_limited: (p: ErrorParams) => ({ title: "Too many sign-in attempts", advice: waitAdvice(p, "try again.") }),
    invalid_body: { title: "Enter your username and password", advice: "Both are needed to sign in." },
    missing: { title: "Enter your username and password", advice: "Both are needed to sign in." },
  },
  register: {
    rate_limited: (p: ErrorParams) => ({ title: "Too many sign-ups from your network", advice: waitAdvice(p, "try again.") }),
    invalid_body: {
      title: "Check the form",
      advice: "A username has 3 to 40 letters, digits, _, . or -; the email must be a real address; a password has at least 8 characters.",
    },
    username: { title: "Pick another username", advice: "Use 3 to 40 letters, digits, _, . or -." },
    email: { title: "Enter your email address", advice: "Like name@example.com." },
    password: { title: "Choose a longer password", advice: "A password has at least 8 characters." },
  },
  rename: { invalid_body: { title: "That title cannot be used", advice: "A title has 1 to 200 characters." } },
  import: {
    invalid_body: { title: "That file is not a hadra conversation", advice: "Import a .json file that hadra exported, unchanged." },
    body_too_large: { title: "That file is too large to import", advice: "Import one conversation's .json export at a time." },
  },
  settings: {
    invalid_body: { title: "Those settings cannot be saved", advice: "Shorten the system prompt, or pick a model from the list." },
  },
  account: {
    invalid_credentials: { title: "The password is wrong", advice: "Check it and try again; nothing was changed." },
    rate_limited: (p: ErrorParams) => ({ title: "Too many attempts in a short time", advice: waitAdvice(p, "try again.") }),
    invalid_body: { title: "That cannot be saved", advice: "Shorten the system prompt, or pick a model from the list." },
    last_staff: {
      title: "This is the last administrator",
      advice: "Make another account an administrator first, then delete this one.",
    },
  },
  load: { not_found: { title: "That conversation no longer exists", advice: "Pick another one in the list." } },
  run: {
    worker_lost: {
      title: "The training worker stopped in the middle of this run",
      advice: "Its log is below. Start a new run; it starts clean.",
    },
    dataset_failed: { title: "Building the training data failed", advice: FIX_AND_RESTART },
    train_failed: { title: "Training failed", advice: FIX_AND_RESTART },
    eval_failed: { title: "Scoring the new model on the held-out rows failed", advice: FIX_AND_RESTART },
    export_failed: { title: "Exporting the trained model failed", advice: FIX_AND_RESTART },
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

/** The contexts and codes that have their own words (every language names the same ones). */
export type InContext = { [C in keyof typeof inContext]: { [K in keyof (typeof inContext)[C]]: Sentence } };

export const en: ErrorsText = {
  codes: {
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
        typeof p.model === "string" && p.model ? `The model “${modelLabel(p.model)}” is not available` : "That model is not available",
      advice: "Pick another model in the conversation settings (⚙), or ask an admin to install it, then press ↻ Regenerate.",
    }),
    model_server_unavailable: {
      title: "The model server is not answering",
      advice: "Make sure Ollama is running (make run starts one) or that OLLAMA_HOST points at it, then press ↻ Regenerate.",
    },
    model_server_busy: { title: "The model server is busy", advice: "Try again in a few seconds (↻ Regenerate keeps your question)." },
    model_queue_full: (p) => ({
      title: "The model is busy",
      advice: `${typeof p.limit === "number" ? `${p.limit} answers are` : "Many answers are"} already waiting for it; wait a minute, then send again. Your text is still in the box.`,
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
  },
  inContext,
  generic: {
    title: "Something went wrong",
    advice: "Try again; if it keeps happening, reload the page or tell an admin.",
  },
};
