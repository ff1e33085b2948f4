import { texts } from "../texts";
import { en, type SidebarText } from "./en";

export type { SidebarText };
export const sidebarText = texts<SidebarText>(en, {
  fr: () => import("./fr").then((m) => m.fr),
  ar: () => import("./ar").then((m) => m.ar),
});
