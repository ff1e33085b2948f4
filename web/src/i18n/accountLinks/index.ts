// The account pages' link words, in every language (French and Arabic fetched on demand).
import { texts } from "../texts";
import { en } from "./en";

export type { AccountNavText } from "./en";
export const accountNavText = texts(en, {
  fr: () => import("./fr").then((m) => m.fr),
  ar: () => import("./ar").then((m) => m.ar),
});
