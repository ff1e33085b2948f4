// Les phrases d'erreur en français (même type que en.ts : chaque code a la sienne).
import type { ErrorParams, ErrorText } from "../../errorText";
import { modelLabel } from "../../modelNames";
import { formatNumber } from "../texts";
import type { ErrorsText } from "./index";

const RELOAD = "Rechargez la page et réessayez.";
const SIGN_IN_AGAIN: ErrorText = { title: "Vous êtes déconnecté", advice: "Reconnectez-vous pour continuer." };
const OUT_OF_DATE: ErrorText = { title: "La page n'est plus à jour", advice: RELOAD };
const NOT_UNDERSTOOD: ErrorText = { title: "La page a envoyé quelque chose que le serveur n'a pas compris", advice: RELOAD };
const TOO_LONG: ErrorText = {
  title: "Ce message est trop long",
  advice: "Raccourcissez-le et renvoyez-le. Votre texte est toujours dans la zone de saisie.",
};
const ADMIN_ONLY: ErrorText = { title: "Vous ne pouvez pas faire cela", advice: "Seul un administrateur le peut ; demandez-lui." };
const FIX_AND_RESTART = "Lisez le journal ci-dessous, corrigez la cause, puis lancez un nouvel entraînement.";
const STILL_IN_BOX = "Votre texte est toujours dans la zone de saisie.";

const bpb = (n: number): string => formatNumber(n, { minimumFractionDigits: 3, maximumFractionDigits: 3 });

function seconds(params: ErrorParams): number | null {
  const s = params.retry_after_s;
  return typeof s === "number" && s > 0 ? Math.ceil(s) : null;
}

/** « Attendez …, puis … » aussi longtemps que le serveur l'a dit (une minute s'il ne l'a pas dit). */
function waitAdvice(params: ErrorParams, then: string): string {
  const s = seconds(params);
  const wait =
    s === null || (s >= 60 && s <= 90)
      ? "une minute"
      : s === 1
        ? "une seconde"
        : s < 60
          ? `${formatNumber(s)} secondes`
          : `${formatNumber(Math.ceil(s / 60))} minutes`;
  return `Attendez ${wait}, puis ${then}`;
}

export const fr: ErrorsText = {
  codes: {
    network: { title: "Le serveur est injoignable", advice: "Vérifiez votre connexion ; la page réessaie d'elle-même." },
    internal: {
      title: "Une erreur s'est produite sur le serveur",
      advice: "Réessayez ; si cela se reproduit, prévenez un administrateur.",
    },
    unavailable: {
      title: "Le serveur n'accède plus à son stockage pour le moment",
      advice: "Attendez quelques secondes, puis réessayez.",
    },
    unauthenticated: SIGN_IN_AGAIN,
    invalid_token: SIGN_IN_AGAIN,
    signed_out: SIGN_IN_AGAIN,
    invalid_credentials: SIGN_IN_AGAIN,
    forbidden: ADMIN_ONLY,
    csrf_failed: OUT_OF_DATE,
    rate_limited: (p) => ({
      title: "Vous envoyez des messages trop vite",
      advice: waitAdvice(p, `renvoyez-le. ${STILL_IN_BOX}`),
    }),
    no_such_endpoint: OUT_OF_DATE,
    method_not_allowed: OUT_OF_DATE,
    unsupported_media_type: OUT_OF_DATE,
    body_too_large: { title: "Trop de texte à enregistrer d'un coup", advice: "Raccourcissez-le et réessayez." },
    invalid_id: { title: "Cette conversation ou ce message n'existe pas", advice: "Choisissez-en une autre dans la liste." },
    invalid_query: { title: "La liste n'a pas pu être chargée", advice: RELOAD },
    invalid_cursor: { title: "La liste n'a pas pu être chargée", advice: RELOAD },
    invalid_body: { title: "Le serveur a refusé cette demande", advice: RELOAD },
    invalid_import: {
      title: "Ce fichier ne peut pas être importé",
      advice: "Importez un fichier exporté par hadra, sans le modifier.",
    },
    empty_patch: { title: "Rien à enregistrer", advice: "Modifiez d'abord quelque chose." },
    bad_json: NOT_UNDERSTOOD,
    bad_frame: NOT_UNDERSTOOD,
    unknown_type: OUT_OF_DATE,
    invalid_frame: { title: "La page a envoyé quelque chose que le serveur a refusé", advice: RELOAD },
    frame_too_large: TOO_LONG,
    not_found: (p) => ({
      title:
        p.what === "conversation"
          ? "Cette conversation n'existe plus"
          : p.what === "message"
            ? "Ce message n'existe plus"
            : "Cette conversation ou ce message n'existe plus",
      advice: "Choisissez-en une autre dans la liste.",
    }),
    empty_content: { title: "Le message est vide", advice: "Écrivez quelque chose, puis envoyez." },
    content_too_long: TOO_LONG,
    busy: {
      title: "Une réponse est encore en cours d'écriture ici",
      advice: "Arrêtez-la (■ Arrêter ou Échap) ou attendez qu'elle se termine, puis renvoyez.",
    },
    too_many_generations: {
      title: "Trop de réponses en même temps",
      advice: "Attendez qu'une de vos réponses se termine, ou arrêtez-la (■ Arrêter ou Échap), puis renvoyez.",
    },
    not_streaming: { title: "Cette réponse est déjà terminée", advice: "Il n'y a rien à arrêter." },
    invalid_parent: { title: "On ne peut pas répondre à ce message d'ici", advice: RELOAD },
    invalid_message: { title: "Ce message ne peut pas être modifié de cette façon", advice: RELOAD },
    not_an_answer: { title: "Seules les réponses peuvent être notées", advice: "Notez une des réponses de l'assistant." },
    still_streaming: { title: "Cette réponse est encore en cours d'écriture", advice: "Notez-la quand elle sera terminée." },
    username_taken: { title: "Ce nom d'utilisateur est déjà pris", advice: "Choisissez-en un autre." },
    email_taken: {
      title: "Un compte existe déjà avec cette adresse e-mail",
      advice: "Connectez-vous plutôt, ou utilisez une autre adresse.",
    },
    account_disabled: {
      title: "Ce compte est désactivé",
      advice: "Contactez l'administrateur de ce serveur pour le faire réactiver.",
    },
    signup_closed: {
      title: "Les inscriptions sont fermées sur ce serveur",
      advice: "Demandez un compte à l'administrateur de ce serveur.",
    },
    cannot_change_self: {
      title: "Vous ne pouvez pas faire cela sur votre propre compte",
      advice: "Demandez à un autre administrateur de le désactiver ou de lui retirer ses droits.",
    },
    last_staff: {
      title: "C'est le dernier administrateur",
      advice: "Nommez d'abord un autre compte administrateur, puis réessayez.",
    },
    name_taken: { title: "Ce nom est déjà pris", advice: "Choisissez un autre nom pour cette version." },
    version_active: { title: "Cette version est celle en service", advice: "Activez d'abord une autre version." },
    not_active: { title: "Cette version n'est pas celle en service", advice: "Il n'y a rien à annuler." },
    model_not_in_ollama: {
      title: "Le serveur de modèles n'a pas ce modèle",
      advice: "Créez-le d'abord dans Ollama, puis activez-le de nouveau.",
    },
    eval_gate: (p) => ({
      title:
        typeof p.version_bpb === "number" && typeof p.active_bpb === "number"
          ? `Cette version obtient un moins bon score que le modèle actif (${bpb(p.version_bpb)} contre ${bpb(p.active_bpb)} bits par octet)`
          : "Cette version n'a pas de score comparable à celui du modèle actif",
      advice: "Évaluez-la sur le même jeu de test, ou donnez une raison pour l'activer malgré tout (elle est consignée).",
    }),
    unknown_preset: { title: "Ce préréglage d'entraînement n'existe pas", advice: "Choisissez un des préréglages proposés." },
    run_finished: { title: "Cet entraînement est déjà terminé", advice: "Lancez-en plutôt un nouveau." },
    model_not_found: (p) => ({
      title:
        typeof p.model === "string" && p.model
          ? `Le modèle « ${modelLabel(p.model)} » n'est pas disponible`
          : "Ce modèle n'est pas disponible",
      advice:
        "Choisissez un autre modèle dans les réglages de la conversation (⚙), ou demandez à un administrateur de l'installer, puis appuyez sur ↻ Régénérer.",
    }),
    model_server_unavailable: {
      title: "Le serveur de modèles ne répond pas",
      advice: "Vérifiez qu'Ollama tourne (make run en lance un) ou qu'OLLAMA_HOST pointe vers lui, puis appuyez sur ↻ Régénérer.",
    },
    model_server_busy: {
      title: "Le serveur de modèles est occupé",
      advice: "Réessayez dans quelques secondes (↻ Régénérer garde votre question).",
    },
    model_queue_full: (p) => ({
      title: "Le modèle est occupé",
      advice: `${typeof p.limit === "number" ? `${formatNumber(p.limit)} réponses l'attendent` : "Beaucoup de réponses l'attendent"} déjà ; attendez une minute, puis renvoyez. ${STILL_IN_BOX}`,
    }),
    model_server_timeout: {
      title: "Le serveur de modèles a mis trop de temps à répondre",
      advice: "Appuyez sur ↻ Régénérer pour réessayer ; un modèle plus petit répond plus vite.",
    },
    model_server_error: {
      title: "Le serveur de modèles n'a pas pu répondre",
      advice: "Appuyez sur ↻ Régénérer pour réessayer ; si cela se reproduit, prévenez un administrateur.",
    },
    answer_cut_short: {
      title: "La réponse a été coupée",
      advice: "Le serveur de modèles s'est arrêté en plein milieu. Appuyez sur ↻ Régénérer pour une réponse complète.",
    },
    database_gone: {
      title: "La réponse n'a pas pu être enregistrée",
      advice: "Le serveur a perdu sa base de données pendant la réponse. Attendez quelques secondes, puis appuyez sur ↻ Régénérer.",
    },
    interrupted: {
      title: "La réponse a été interrompue",
      advice: "Le serveur a redémarré pendant la réponse. Appuyez sur ↻ Régénérer pour réessayer.",
    },
    answer_failed: {
      title: "La réponse a échoué",
      advice: "Appuyez sur ↻ Régénérer pour réessayer ; si cela se reproduit, prévenez un administrateur.",
    },
  },
  inContext: {
    login: {
      invalid_credentials: { title: "Nom d'utilisateur ou mot de passe incorrect", advice: "Vérifiez les deux et réessayez." },
      rate_limited: (p) => ({ title: "Trop de tentatives de connexion", advice: waitAdvice(p, "réessayez.") }),
      invalid_body: { title: "Saisissez votre nom d'utilisateur et votre mot de passe", advice: "Les deux sont nécessaires pour se connecter." },
      missing: { title: "Saisissez votre nom d'utilisateur et votre mot de passe", advice: "Les deux sont nécessaires pour se connecter." },
    },
    register: {
      rate_limited: (p) => ({ title: "Trop d'inscriptions depuis votre réseau", advice: waitAdvice(p, "réessayez.") }),
      invalid_body: {
        title: "Vérifiez le formulaire",
        advice:
          "Un nom d'utilisateur compte de 3 à 40 lettres, chiffres, _, . ou - ; l'adresse e-mail doit être réelle ; un mot de passe compte au moins 8 caractères.",
      },
      username: { title: "Choisissez un autre nom d'utilisateur", advice: "Utilisez de 3 à 40 lettres, chiffres, _, . ou -." },
      email: { title: "Saisissez votre adresse e-mail", advice: "Par exemple nom@exemple.com." },
      password: { title: "Choisissez un mot de passe plus long", advice: "Un mot de passe compte au moins 8 caractères." },
    },
    rename: { invalid_body: { title: "Ce titre ne peut pas être utilisé", advice: "Un titre compte de 1 à 200 caractères." } },
    import: {
      invalid_body: { title: "Ce fichier n'est pas une conversation hadra", advice: "Importez un fichier .json exporté par hadra, sans le modifier." },
      body_too_large: { title: "Ce fichier est trop volumineux pour être importé", advice: "Importez l'export .json d'une seule conversation à la fois." },
    },
    settings: {
      invalid_body: {
        title: "Ces réglages ne peuvent pas être enregistrés",
        advice: "Raccourcissez le prompt système, ou choisissez un modèle dans la liste.",
      },
    },
    account: {
      invalid_credentials: { title: "Le mot de passe est incorrect", advice: "Vérifiez-le et réessayez ; rien n'a été modifié." },
      rate_limited: (p) => ({ title: "Trop de tentatives en peu de temps", advice: waitAdvice(p, "réessayez.") }),
      invalid_body: {
        title: "Impossible d'enregistrer cela",
        advice: "Raccourcissez le prompt système, ou choisissez un modèle dans la liste.",
      },
      last_staff: {
        title: "C'est le dernier administrateur",
        advice: "Faites d'abord d'un autre compte un administrateur, puis supprimez celui-ci.",
      },
    },
    load: { not_found: { title: "Cette conversation n'existe plus", advice: "Choisissez-en une autre dans la liste." } },
    run: {
      worker_lost: {
        title: "Le worker d'entraînement s'est arrêté en plein milieu",
        advice: "Son journal est ci-dessous. Lancez un nouvel entraînement ; il repart de zéro.",
      },
      dataset_failed: { title: "La préparation des données d'entraînement a échoué", advice: FIX_AND_RESTART },
      train_failed: { title: "L'entraînement a échoué", advice: FIX_AND_RESTART },
      eval_failed: { title: "L'évaluation du nouveau modèle sur le jeu de test a échoué", advice: FIX_AND_RESTART },
      export_failed: { title: "L'export du modèle entraîné a échoué", advice: FIX_AND_RESTART },
      register_failed: {
        title: "La remise du nouveau modèle au serveur de modèles a échoué",
        advice: "Vérifiez qu'Ollama tourne (make run en lance un), puis lancez un nouvel entraînement.",
      },
    },
    models: {
      model_server_unavailable: {
        title: "Le serveur de modèles ne répond pas",
        advice: "Les réponses échoueront tant qu'Ollama ne tourne pas (make run en lance un) ou qu'OLLAMA_HOST ne pointe pas vers lui.",
      },
    },
  },
  generic: {
    title: "Une erreur s'est produite",
    advice: "Réessayez ; si cela se reproduit, rechargez la page ou prévenez un administrateur.",
  },
};
