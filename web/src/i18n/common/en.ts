// Words shared by every screen: the connection line, the language menu, the code-block copy button,
// the way to the admin console (whose own words load with it, in admin/text/).
export const en = {
  /** What an unnamed conversation (and the screen for a new one) is called. */
  newChat: "New chat",
  reload: "Reload",
  language: "Language",
  connection: {
    connecting: "Connecting…",
    reconnecting: "Reconnecting…",
    lost: (seconds: number) => `Connection lost. Reconnecting in ${seconds} s`,
    retryNow: "Retry now",
    refused: "This connection was refused. Reload the page.",
  },
  code: {
    copyLabel: "Copy code",
    copy: "Copy",
    copied: "Copied",
    text: "text",
    offsiteImage: "Image on another site, not loaded",
  },
  admin: {
    link: "Admin",
    loading: "Loading the admin console…",
    notStaffTitle: "This page is for administrators",
    notStaff: "Your account cannot open the admin console. Ask an administrator if you need to.",
    backToChat: "Back to the chat",
  },
};

export type CommonText = typeof en;
