// What a person reads when the server (or the app's own check of a form) turns something down:
// what happened and what to do, picked by the error's `code` and by what the app was doing.
// The server's `message` is written for programs (field names, validator wording, API paths) and
// is never shown. This table is the one place the app's error wording lives, so an interface
// language is one more table of the same keys.
import type { Notice } from "./notices";

/** What the app was doing when the error came: the same code can need other words per form. */
export type ErrorContext = "login" | "register" | "chat" | "rename" | "settings" | "load";

export interface ErrorText {
  title: string;
  advice: string;
}

const RELOAD = "Reload the page and try again.";

/** Keys: a code, or `context:code` where the context changes what to say. */
const TEXT: Record<string, ErrorText> = {
  // Anywhere
  network: { title: "The server cannot be reached", advice: "Check your connection; the page retries by itself." },
  internal: { title: "Something went wrong on the server", advice: "Try again; if it keeps happening, tell an admin." },
  unauthenticated: { title: "You are signed out", advice: "Sign in again to continue." },
  invalid_token: { title: "You are signed out", advice: "Sign in again to continue." },
  signed_out: { title: "You are signed out", advice: "Sign in again to continue." },
  unavailable: { title: "The server is briefly unable to reach its storage", advice: "Wait a few seconds, then try again." },
  csrf_failed: { title: "The page is out of date", advice: RELOAD },
  forbidden: { title: "You cannot do this", advice: "Only an administrator can; ask one." },
  not_found: { title: "That conversation or message no longer exists", advice: "Pick another one in the list." },
  invalid_id: { title: "That conversation or message does not exist", advice: "Pick another one in the list." },
  rate_limited: { title: "You are sending messages too fast", advice: "Wait a minute, then send again. Your text is still in the box." },
  body_too_large: { title: "That is too much text to save at once", advice: "Shorten it and try again." },
  unsupported_media_type: { title: "The page is out of date", advice: RELOAD },
  invalid_body: { title: "The server did not accept that", advice: RELOAD },
  invalid_query: { title: "The list could not be loaded", advice: RELOAD },
  invalid_cursor: { title: "The list could not be loaded", advice: RELOAD },
  empty_patch: { title: "Nothing to save", advice: "Change something first." },
  // The chat socket
  bad_json: { title: "The page sent something the server did not understand", advice: RELOAD },
  bad_frame: { title: "The page sent something the server did not understand", advice: RELOAD },
  unknown_type: { title: "The page is out of date", advice: RELOAD },
  invalid_frame: { title: "The page sent something the server did not accept", advice: RELOAD },
  frame_too_large: { title: "That message is too long", advice: "Shorten it and send again. Your text is still in the box." },
  content_too_long: { title: "That message is too long", advice: "Shorten it and send again. Your text is still in the box." },
  empty_content: { title: "The message is empty", advice: "Type something, then send." },
  busy: { title: "An answer is still being written here", advice: "Stop it (■ Stop or Esc) or wait for it to finish, then send again." },
  too_many_generations: {
    title: "Too many answers at once",
    advice: "Wait for one of your answers to finish, or stop it (■ Stop or Esc), then send again.",
  },
  not_streaming: { title: "That answer has already finished", advice: "Nothing to stop." },
  invalid_parent: { title: "That message cannot be answered from here", advice: RELOAD },
  invalid_message: { title: "That message cannot be changed this way", advice: RELOAD },
  // Rating an answer
  not_an_answer: { title: "Only answers can be rated", advice: "Rate one of the assistant's answers." },
  still_streaming: { title: "This answer is still being written", advice: "Rate it when it is done." },
  // Signing in and up (the app checks its own forms first, so the server rarely has to)
  "login:invalid_credentials": { title: "Wrong username or password", advice: "Check both and try again." },
  "login:rate_limited": { title: "Too many sign-in attempts", advice: "Wait a minute, then try again." },
  "login:invalid_body": { title: "Enter your username and password", advice: "Both are needed to sign in." },
  "login:missing": { title: "Enter your username and password", advice: "Both are needed to sign in." },
  "register:rate_limited": { title: "Too many sign-ups from your network", advice: "Wait a minute, then try again." },
  "register:username_taken": { title: "That username is taken", advice: "Pick another one." },
  "register:email_taken": { title: "An account with this email exists", advice: "Sign in instead, or use another email." },
  "register:invalid_body": {
    title: "Check the form",
    advice: "A username has 3 to 40 letters, digits, _, . or -; the email must be a real address; a password has at least 8 characters.",
  },
  "register:username": { title: "Pick another username", advice: "Use 3 to 40 letters, digits, _, . or -." },
  "register:email": { title: "Enter your email address", advice: "Like name@example.com." },
  "register:password": { title: "Choose a longer password", advice: "A password has at least 8 characters." },
  // Changing a conversation
  "rename:invalid_body": { title: "That title cannot be used", advice: "A title has 1 to 200 characters." },
  "settings:invalid_body": { title: "Those settings cannot be saved", advice: "Shorten the system prompt, or pick a model from the list." },
  "load:not_found": { title: "That conversation no longer exists", advice: "Pick another one in the list." },
};

/** For an error no entry names: still says what to do. */
export const GENERIC_ERROR: ErrorText = {
  title: "Something went wrong",
  advice: "Try again; if it keeps happening, reload the page or tell an admin.",
};

/** Codes that mean "wait a little", shown in the calmer warning colour. */
const WAIT_CODES = new Set(["rate_limited", "busy", "too_many_generations"]);

export function errorText(code: string, context?: ErrorContext): ErrorText {
  return (context && TEXT[`${context}:${code}`]) || TEXT[code] || GENERIC_ERROR;
}

/** The same, as one line for a form: "Title. Advice" */
export function errorSentence(code: string, context?: ErrorContext): string {
  const { title, advice } = errorText(code, context);
  return `${title}. ${advice}`;
}

/** A banner for the chat screen. */
export function errorNotice(code: string, context?: ErrorContext): Notice {
  const { title, advice } = errorText(code, context);
  return { kind: WAIT_CODES.has(code) ? "limit" : "other", title, advice, detail: "" };
}

/** Every key of the table (for tests that check each sentence). */
export const ERROR_KEYS: readonly string[] = Object.keys(TEXT);
