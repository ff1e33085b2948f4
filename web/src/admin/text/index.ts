// The admin console's words: English ships with the console's chunk, French and Arabic are fetched
// when chosen (AdminPage's lazy import waits for the active language's before the first render).
import { texts } from "../../i18n/texts";
import { en, type AdminText } from "./en";

export type { AdminText };
export const adminText = texts<AdminText>(en, {
  fr: () => import("./fr").then((m) => m.fr),
  ar: () => import("./ar").then((m) => m.ar),
});

/** One part of the table as a view that always reads the active language's words, so a module can
 * keep `const T = adminWords((t) => t.runs)` at its top and read `T.start` while rendering. */
export function adminWords<P extends object>(part: (t: AdminText) => P): P {
  return new Proxy({} as P, { get: (_target, key) => Reflect.get(part(adminText.current()), key) });
}

/** The whole table, read at render time. */
export const ADMIN_TEXT: AdminText = adminWords((t) => t);
