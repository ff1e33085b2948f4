import { describe, expect, it } from "vitest";
import type { ErrorCode } from "./contract";
import { errorsText } from "./i18n/errors";
import { ERROR_KEYS, errorSentence, errorText, type AppErrorCode, type ErrorContext } from "./errorText";
import { loginProblem, signupProblem } from "./formChecks";
import { errorNotice, modelsNotice } from "./notices";

/** What developers write and people should never read. */
const DEVELOPER_WORDING = [
  /\/api/i,
  /`/,
  /String should/i,
  /\b(POST|GET|PATCH|DELETE)\b/,
  /pattern/i,
  /Invalid (body|frame)/i,
  /\bfield\b/i,
  /\b[a-z]+_[a-z]+\b/, // snake_case names (conversation_id, invalid_body)
  /Bearer/i,
  /\btoken\b/i,
];

function assertForPeople(sentence: string): void {
  for (const bad of DEVELOPER_WORDING) expect(sentence, sentence).not.toMatch(bad);
  expect(sentence).toMatch(/^[A-Z].*\.$/); // a sentence: capital first, full stop last
}

const CONTEXTS = [undefined, "login", "register", "chat", "rename", "settings", "load", "models"] as const;

/** Why an answer failed (message.done's error): each must say what happened in its own words. */
const ANSWER_FAILURES: ErrorCode[] = [
  "model_not_found",
  "model_server_unavailable",
  "model_server_busy",
  "model_server_timeout",
  "model_server_error",
  "answer_cut_short",
  "database_gone",
  "interrupted",
  "answer_failed",
];

function split(key: string): [ErrorContext | undefined, AppErrorCode] {
  const [context, code] = key.includes(":") ? key.split(":") : [undefined, key];
  return [context as ErrorContext | undefined, code as AppErrorCode];
}

describe("errorText", () => {
  it("has a sentence for people, with what to do, for every code and context the table names", () => {
    // The table is a Record over every ErrorCode (contract.ts), so this is every code the server sends.
    expect(ERROR_KEYS.length).toBeGreaterThan(60);
    for (const key of ERROR_KEYS) {
      const [context, code] = split(key);
      expect(errorText(code, context)).not.toBe(errorsText.current().generic);
      assertForPeople(errorSentence(code, context));
    }
  });

  it("says each code in every form the app submits", () => {
    for (const key of ERROR_KEYS.filter((k) => !k.includes(":"))) {
      for (const context of CONTEXTS) assertForPeople(errorSentence(key as AppErrorCode, context));
    }
  });

  it("gives each way an answer can fail its own sentence", () => {
    const titles = ANSWER_FAILURES.map((code) => errorText(code, "chat").title);
    expect(new Set(titles).size).toBe(ANSWER_FAILURES.length);
    expect(errorSentence("model_not_found", "chat")).toBe(
      "That model is not available. Pick another model in the conversation settings (⚙), or ask an admin to install it, then press ↻ Regenerate.",
    );
    expect(errorText("model_server_unavailable", "chat").title).toBe("The model server is not answering");
    expect(errorText("database_gone", "chat").title).toBe("The answer could not be saved");
    expect(errorText("interrupted", "chat").title).toBe("The answer was interrupted");
  });

  it("puts the server's params into the sentence where it needs them", () => {
    expect(errorText("model_not_found", "chat", { model: "hadra-tuned:latest", host: "h" }).title).toBe(
      "The model “hadra-tuned” is not available",
    );
    expect(errorSentence("rate_limited", "chat", { retry_after_s: 31 })).toBe(
      "You are sending messages too fast. Wait 31 seconds, then send again. Your text is still in the box.",
    );
    expect(errorSentence("rate_limited", "chat")).toContain("Wait a minute");
    expect(errorText("rate_limited", "chat", { retry_after_s: 60 }).advice).toContain("Wait a minute, then");
    expect(errorText("rate_limited", "chat", { retry_after_s: 3600 }).advice).toContain("Wait 60 minutes, then");
    expect(errorText("rate_limited", "login", { retry_after_s: 1 }).advice).toBe("Wait a second, then try again.");
    expect(errorText("not_found", "chat", { what: "message" }).title).toBe("That message no longer exists");
    expect(errorText("not_found", "chat", { what: "conversation" }).title).toBe("That conversation no longer exists");
    expect(errorText("not_found", "chat").title).toBe("That conversation or message no longer exists");
  });

  it("says what the form needs, in the form's own words", () => {
    expect(errorSentence("invalid_credentials", "login")).toBe("Wrong username or password. Check both and try again.");
    expect(errorSentence("username_taken", "register")).toBe("That username is taken. Pick another one.");
    expect(errorSentence("rate_limited", "login")).toContain("Too many sign-in attempts");
    expect(errorSentence("rate_limited", "chat")).toContain("You are sending messages too fast");
    expect(errorSentence("invalid_body", "register")).toContain("at least 8 characters");
    expect(errorSentence("invalid_body", "rename")).toContain("1 to 200 characters");
  });

  it("accepts only codes the contract defines, and still says something for one a newer server sends", () => {
    // @ts-expect-error -- a code the contract does not define is a type error: add it to contract/ first.
    expect(errorText("something_new")).toBe(errorsText.current().generic);
    const fromNewerServer = JSON.parse('{"code": "something_new"}') as { code: AppErrorCode };
    expect(errorSentence(fromNewerServer.code, "chat")).toBe(
      "Something went wrong. Try again; if it keeps happening, reload the page or tell an admin.",
    );
  });

  it("builds a banner without the server's message, calmer for codes that mean wait", () => {
    expect(errorNotice({ code: "rate_limited" }, "chat")).toMatchObject({ kind: "limit" });
    expect(errorNotice({ code: "model_server_busy" }, "chat")).toMatchObject({ kind: "limit" });
    expect(errorNotice({ code: "model_queue_full", params: { limit: 64 } }, "chat")).toEqual({
      kind: "limit",
      title: "The model is busy",
      advice: "64 answers are already waiting for it; wait a minute, then send again. Your text is still in the box.",
    });
    expect(errorNotice({ code: "not_found", params: { what: "conversation" } }, "chat")).toEqual({
      kind: "other",
      title: "That conversation no longer exists",
      advice: "Pick another one in the list.",
    });
  });

  it("warns up front when GET /api/models says the model server cannot be reached", () => {
    expect(modelsNotice({ ollama_error: null })).toBeNull();
    const down = modelsNotice({ ollama_error: { code: "model_server_unavailable", message: "Ollama at h is not reachable", params: {} } });
    expect(down).toMatchObject({ kind: "other", title: "The model server is not answering" });
    expect(down?.advice).toContain("Answers will fail until Ollama is running");
  });
});

describe("form checks", () => {
  it("finds what the server would turn down at sign-up, field by field", () => {
    const good = "long enough";
    expect(signupProblem("amina", "amina@example.com", good)).toBeNull();
    expect(signupProblem("am", "amina@example.com", good)).toBe("username");
    expect(signupProblem("amina khan", "amina@example.com", good)).toBe("username");
    expect(signupProblem("أمينة", "amina@example.com", good)).toBe("username");
    expect(signupProblem("amina", "amina@", good)).toBe("email");
    expect(signupProblem("amina", "amina@example.com", "short")).toBe("password");
    expect(signupProblem("amina", "amina@example.com", "😀😀😀😀😀😀😀")).toBe("password"); // 7 characters, 14 UTF-16 units
    expect(signupProblem("amina", "amina@example.com", "😀😀😀😀😀😀😀😀")).toBeNull();
    for (const field of ["username", "email", "password"] as const) assertForPeople(errorSentence(field, "register"));
    expect(errorSentence("password", "register")).toBe("Choose a longer password. A password has at least 8 characters.");
  });

  it("needs both fields to sign in", () => {
    expect(loginProblem("amina", "")).toBe("missing");
    expect(loginProblem(" ", "x")).toBe("missing");
    expect(loginProblem("amina", "x")).toBeNull();
    assertForPeople(errorSentence("missing", "login"));
  });
});
