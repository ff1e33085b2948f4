import type { AuthText } from "./en";

export const fr: AuthText = {
  logIn: "Connectez-vous à vos conversations",
  createAccount: "Créer un compte",
  signedOut: "Vous avez été déconnecté. Reconnectez-vous pour revenir là où vous étiez.",
  username: "Nom d'utilisateur",
  email: "Adresse e-mail",
  password: "Mot de passe",
  submitLogin: "Se connecter",
  submitRegister: "S'inscrire",
  toRegister: "Pas de compte ? Inscrivez-vous",
  toLogin: "Déjà un compte ? Connectez-vous",
};
