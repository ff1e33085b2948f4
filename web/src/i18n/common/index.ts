import { texts } from "../texts";
import { en, type CommonText } from "./en";

export type { CommonText };
export const commonText = texts<CommonText>(en, {
  fr: () => import("./fr").then((m) => m.fr),
  ar: () => import("./ar").then((m) => m.ar),
});
