import { texts } from "../texts";
import { en, type ChatText } from "./en";

export type { ChatText };
export const chatText = texts<ChatText>(en, {
  fr: () => import("./fr").then((m) => m.fr),
  ar: () => import("./ar").then((m) => m.ar),
});
