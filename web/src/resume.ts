// Where a person was when their session ended (logged out in another tab, password changed,
// token revoked): the open conversation and the unsent text of the composer. Kept in this tab's
// sessionStorage, so it also outlives a reload of the sign-in page, and given back only to the
// same user signing in again: someone else signing in on this browser starts clean.

export interface Resume {
  username: string;
  conversationId: string | null;
  draft: string;
}

const KEY = "hadra.resume";
/** Where sessionStorage is refused (some privacy modes), the tab's memory still does. */
let fallback: Resume | null = null;

export function saveResume(resume: Resume): void {
  fallback = resume;
  try {
    sessionStorage.setItem(KEY, JSON.stringify(resume));
  } catch {
    // the in-memory copy serves this page
  }
}

function load(): Resume | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (raw) return JSON.parse(raw) as Resume;
  } catch {
    // unreadable or refused: use the in-memory copy
  }
  return fallback;
}

/** The saved place if it belongs to `username` ("none" when nothing was saved, "other" when it
 * was another user's); the saved place is forgotten either way. */
export function takeResume(username: string): Resume | "none" | "other" {
  const resume = load();
  fallback = null;
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // nothing to remove
  }
  if (!resume) return "none";
  return resume.username === username ? resume : "other";
}

/** Forget it (a deliberate logout: nothing to come back to). */
export function dropResume(): void {
  takeResume("");
}
