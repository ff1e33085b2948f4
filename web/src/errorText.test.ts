import { describe, expect, it } from "vitest";
import { ERROR_KEYS, errorNotice, errorSentence, errorText, GENERIC_ERROR } from "./errorText";
import { loginProblem, signupProblem } from "./formChecks";

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

// Every code the server sends today (api/, chat/, consumers/), whether or not the table names it.
const SERVER_CODES = [
  "unauthenticated", "invalid_token", "csrf_failed", "forbidden", "not_found", "invalid_id", "invalid_query",
  "invalid_cursor", "invalid_body", "unsupported_media_type", "body_too_large", "rate_limited", "empty_patch",
  "username_taken", "email_taken", "invalid_credentials", "not_an_answer", "still_streaming", "internal",
  "bad_json", "bad_frame", "unknown_type", "invalid_frame", "frame_too_large", "content_too_long", "empty_content",
  "busy", "too_many_generations", "not_streaming", "invalid_parent", "invalid_message", "network",
  "signed_out", "unavailable",
];

describe("errorText", () => {
  it("has a sentence for people, with what to do, for every entry", () => {
    expect(ERROR_KEYS.length).toBeGreaterThan(30);
    for (const key of ERROR_KEYS) {
      const [context, code] = key.includes(":") ? key.split(":") : [undefined, key];
      const text = errorText(code, context as never);
      expect(text).not.toBe(GENERIC_ERROR);
      assertForPeople(errorSentence(code, context as never));
    }
  });

  it("maps each code the server sends to a sentence, in each form the app submits", () => {
    for (const code of SERVER_CODES) {
      for (const context of [undefined, "login", "register", "chat", "rename", "settings", "load"] as const) {
        assertForPeople(errorSentence(code, context));
      }
    }
  });

  it("says what the form needs, in the form's own words", () => {
    expect(errorSentence("invalid_credentials", "login")).toBe("Wrong username or password. Check both and try again.");
    expect(errorSentence("username_taken", "register")).toBe("That username is taken. Pick another one.");
    expect(errorSentence("rate_limited", "login")).toContain("Too many sign-in attempts");
    expect(errorSentence("rate_limited", "chat")).toContain("You are sending messages too fast");
    expect(errorSentence("invalid_body", "register")).toContain("at least 8 characters");
    expect(errorSentence("invalid_body", "rename")).toContain("1 to 200 characters");
  });

  it("gives an unknown code a generic sentence that still says what to do", () => {
    expect(errorText("something_new")).toBe(GENERIC_ERROR);
    expect(errorSentence("something_new", "chat")).toBe(
      "Something went wrong. Try again; if it keeps happening, reload the page or tell an admin.",
    );
  });

  it("builds a banner without the server's message, calmer for codes that mean wait", () => {
    expect(errorNotice("rate_limited", "chat")).toMatchObject({ kind: "limit", detail: "" });
    expect(errorNotice("not_found", "chat")).toMatchObject({
      kind: "other",
      title: "That conversation or message no longer exists",
      detail: "",
    });
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
    for (const field of ["username", "email", "password"]) assertForPeople(errorSentence(field, "register"));
    expect(errorSentence("password", "register")).toBe("Choose a longer password. A password has at least 8 characters.");
  });

  it("needs both fields to sign in", () => {
    expect(loginProblem("amina", "")).toBe("missing");
    expect(loginProblem(" ", "x")).toBe("missing");
    expect(loginProblem("amina", "x")).toBeNull();
    assertForPeople(errorSentence("missing", "login"));
  });
});
