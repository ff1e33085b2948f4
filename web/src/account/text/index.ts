// The account pages' area: English ships with their chunk, French and Arabic are fetched when chosen.
import { texts } from "../../i18n/texts";
import { en } from "./en";

export type { AccountText } from "./en";
export const accountText = texts(en, {
  fr: () => import("./fr").then((m) => m.fr),
  ar: () => import("./ar").then((m) => m.ar),
});
