// The error sentences' area: English ships with the first load, French and Arabic are fetched
// when chosen. Read with `errorsText.current()` (errorText.ts, called during render).
import type { AppErrorCode, ErrorText, Sentence } from "../../errorText";
import { texts } from "../texts";
import { en, type InContext } from "./en";

export interface ErrorsText {
  /** The first sentence for every code the server sends, and the app's own. */
  codes: Record<AppErrorCode, Sentence>;
  /** Where a form or screen needs other words for a code, or the app's own check found a problem. */
  inContext: InContext;
  /** For a code this version of the app does not know (an older page talking to a newer server). */
  generic: ErrorText;
}

export const errorsText = texts<ErrorsText>(en, {
  fr: () => import("./fr").then((m) => m.fr),
  ar: () => import("./ar").then((m) => m.ar),
});
