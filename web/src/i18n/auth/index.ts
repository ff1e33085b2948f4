import { texts } from "../texts";
import { en, type AuthText } from "./en";

export type { AuthText };
export const authText = texts<AuthText>(en, {
  fr: () => import("./fr").then((m) => m.fr),
  ar: () => import("./ar").then((m) => m.ar),
});
