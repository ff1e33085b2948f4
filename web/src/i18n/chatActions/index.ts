// The chat's actions area: English ships with the first load, French and Arabic on demand.
import { texts } from "../texts";
import { en, type ChatActionsText } from "./en";

export type { ChatActionsText };

export const chatActionsText = texts<ChatActionsText>(en, {
  fr: () => import("./fr").then((m) => m.fr),
  ar: () => import("./ar").then((m) => m.ar),
});
