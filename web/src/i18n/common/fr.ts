import type { CommonText } from "./en";
import { formatNumber } from "../texts";

export const fr: CommonText = {
  newChat: "Nouvelle conversation",
  reload: "Recharger",
  language: "Langue",
  connection: {
    connecting: "Connexion…",
    reconnecting: "Reconnexion…",
    lost: (seconds) => `Connexion perdue. Nouvelle tentative dans ${formatNumber(seconds)} s`,
    retryNow: "Réessayer maintenant",
    refused: "Cette connexion a été refusée. Rechargez la page.",
  },
  code: {
    copyLabel: "Copier le code",
    copy: "Copier",
    copied: "Copié",
    text: "texte",
    offsiteImage: "Image d'un autre site, non chargée",
  },
  admin: {
    link: "Administration",
    loading: "Chargement de la console d'administration…",
    notStaffTitle: "Cette page est réservée aux administrateurs",
    notStaff: "Votre compte ne peut pas ouvrir la console d'administration. Demandez à un administrateur si besoin.",
    backToChat: "Retour à la conversation",
  },
};
