// The chat screen: header, banner, welcome, composer, each message's footer, conversation settings.
export const en = {
  conversations: "Conversations",
  model: "Model",
  defaultModel: "default model",
  settings: "Conversation settings",
  settingsHint: "Model and system prompt",
  dismiss: "Dismiss",
  /** Why the server changed a chat's model (a code and its params, contract.ts ModelNote). */
  modelNotes: {
    model_retired: (model: string) =>
      `The model this conversation used${model ? ` (${model})` : ""} was retired; it goes on with the default model.`,
  },
  notConnected: {
    title: "Not connected",
    advice: "The page is reconnecting by itself; your text is still in the box. Send again once connected.",
  },
  welcome: "What can I help with?",
  welcomeHint: "Enter sends, Shift+Enter starts a new line, Esc stops an answer. Arabic and mixed text are welcome.",
  composer: {
    placeholder: "Message hadra…",
    label: "Message",
    send: "Send",
    sendHint: "Send (Enter)",
    stop: "■ Stop",
    stopLabel: "Stop generating",
    stopHint: "Stop (Esc)",
  },
  message: {
    versions: "Versions",
    previous: "Previous version",
    next: "Next version",
    stopped: "Stopped",
    interrupted: "Interrupted: the server restarted while answering. Press ↻ to try again.",
    waiting: "Waiting for the model…",
    starting: "Starting…",
    ahead: (n: number) => (n === 1 ? "1 answer ahead of yours" : `${n} answers ahead of yours`),
    thinking: "Waiting for the first token",
    details: "Details",
    cancel: "Cancel",
    saveAndSend: "Save & send",
    edit: "✎ Edit",
    editHint: "Edit and resend",
    regenerate: "↻ Regenerate",
    regenerateHint: "Regenerate",
    good: "Good answer",
    bad: "Bad answer",
    ttft: (ms: number) => (ms < 1000 ? `TTFT ${Math.round(ms)} ms` : `TTFT ${(ms / 1000).toFixed(2)} s`),
    speed: (tokensPerS: number) => `${tokensPerS.toFixed(1)} tok/s`,
    tokens: (n: number) => `${n} tokens`,
  },
  settingsPanel: {
    model: "Model",
    noModels: "(no models available)",
    systemPrompt: "System prompt",
    placeholder: "e.g. Answer briefly, in the language of the question.",
    close: "Close",
    save: "Save",
  },
};

export type ChatText = typeof en;
