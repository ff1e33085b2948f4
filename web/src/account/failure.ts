// What a failed call on an account page says. A session that ended (signed out elsewhere, password
// changed in another tab) is not a sentence here: the app's sign-in page takes over.
import { ApiError } from "../api";
import { errorSentence } from "../errorText";

/** The sentence for a failed call, or null when the session ended (already handed up). */
export type Failure = (e: unknown) => string | null;

const SIGNED_OUT = new Set(["unauthenticated", "signed_out", "invalid_token"]);

export function failureOf(onSignedOut: () => void): Failure {
  return (e) => {
    if (e instanceof ApiError && SIGNED_OUT.has(e.code)) {
      onSignedOut();
      return null;
    }
    return e instanceof ApiError ? errorSentence(e.code, "account", e.params) : errorSentence("internal", "account");
  };
}
