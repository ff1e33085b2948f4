import type { AccountNavText } from "./en";

export const fr: AccountNavText = {
  label: "Votre compte",
  settings: "Paramètres",
  tokens: "Jetons d’API",
  loading: "Chargement…",
};
