// The sign-in and sign-up forms checked before they are sent, with the server's own rules
// (contract/fields.py: Username, Password; contract/http.py: EmailStr), so a person learns what to fix from one clear
// sentence (errorText.ts) instead of from a round trip and a validator's wording.

/** What the app's own check of a form found: the field to fix, or a login with a field left empty. */
export type FormProblem = "username" | "email" | "password" | "missing";

/** The first field that the server would turn down, or null when the form can be sent. */
export function signupProblem(username: string, email: string, password: string): Exclude<FormProblem, "missing"> | null {
  if (!/^[A-Za-z0-9_.-]{3,40}$/.test(username.trim())) return "username";
  if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) return "email";
  const length = [...password].length; // characters, as the server counts them, not UTF-16 units
  if (length < 8 || length > 1024) return "password";
  return null;
}

export function loginProblem(username: string, password: string): Extract<FormProblem, "missing"> | null {
  return username.trim() && password ? null : "missing";
}
