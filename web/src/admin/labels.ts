// Every word of the admin console a person reads, in one table (errors come from errorText.ts by
// their code). An interface language is one more object of the same type (issue 14).
import type { DatasetRowOut, DatasetTurnOut, RunProgressOut, TrainingRunOut } from "../contract";

const plural = (n: number, one: string, many: string): string => `${n.toLocaleString()} ${n === 1 ? one : many}`;

export const ADMIN_TEXT = {
  title: "hadra admin",
  backToChat: "← Back to the chat",
  tabsLabel: "Admin sections",
  tabs: { data: "Data", runs: "Training runs", versions: "Versions", audit: "Audit", users: "Users" },
  retry: "Try again",
  none: "—",
  cancel: "Cancel",
  loadMore: "Load older",
  details: "Details",

  data: {
    heading: "What the next run learns from",
    privacy: "Rows are shown without account names; opening one's account is recorded in the audit.",
    sources: {
      chat_rated: "👍 answers",
      chat_edited: "Hand corrections",
      translation: "Translated pairs",
      preference_pairs: "👎 answers with a better sibling",
    } as Record<DatasetRowOut["source"], string>,
    newSince: (at: string) => `New since the last run (${at})`,
    newNeverRun: "New (no run has finished yet)",
    excluded: "Excluded by an admin",
    optedOut: "Left out: their author opted out",
    skipped: "Other answers left out",
    translationsFolder: (folder: string) => `Translated pairs are read from ${folder}.`,
    rowsHeading: "Rows",
    allSources: "All sources",
    filter: "Source",
    roles: { system: "System prompt", user: "User", assistant: "Assistant" } as Record<DatasetTurnOut["role"], string>,
    answer: "Answer it learns",
    rejected: "Answer it learns to avoid (👎)",
    exclude: "Exclude",
    include: "Include again",
    excludedTag: "Excluded",
    showAccount: "Show account",
    account: (username: string) => `Account: ${username}`,
    accountGone: "(deleted account)",
    noRows: "No rows from this source yet.",
  },

  runs: {
    startHeading: "Start a run",
    preset: "Preset",
    start: "Start run",
    noWorker: "No training worker is running, so a run would wait in the queue.",
    workers: (n: number) => `${plural(n, "worker", "workers")} alive`,
    current: "This run",
    history: "History",
    noRuns: "No runs yet.",
    status: { queued: "Queued", running: "Running", succeeded: "Succeeded", failed: "Failed", cancelled: "Cancelled" } as Record<
      TrainingRunOut["status"],
      string
    >,
    stage: {
      queued: "Waiting for a worker",
      dataset: "Building the dataset",
      train: "Training",
      eval: "Evaluating",
      export: "Exporting",
      register: "Registering",
    } as Record<RunProgressOut["stage"], string>,
    notRunnable: (name: string, device: string) => `${name} (no ${device.toUpperCase()} worker is running)`,
    step: (step: number, total: number) => `Step ${step.toLocaleString()} of ${total.toLocaleString()}`,
    loss: (loss: number) => `Loss ${loss.toFixed(3)}`,
    lossCurve: (points: number, last: number | null) =>
      last === null ? "Loss curve: no points yet" : `Loss curve: ${plural(points, "point", "points")}, last ${last.toFixed(3)}`,
    eta: (seconds: number) => `About ${duration(seconds)} left`,
    took: (seconds: number) => `Took ${duration(seconds)}`,
    logTail: "Log (last lines)",
    cancel: "Cancel run",
    cancelling: "Cancelling…",
    confirmCancel: "Cancel this run? What it trained so far is thrown away.",
    openVersion: "Open the version it made",
    rows: (n: number) => plural(n, "row", "rows"),
    columns: { created: "Started", preset: "Preset", status: "Status", took: "Duration", result: "Result" },
    open: "Show",
  },

  versions: {
    heading: "Model versions",
    none: "No versions yet. A finished training run registers one.",
    columns: { name: "Name", base: "Base", created: "Created", metrics: "Held-out bits per byte", size: "Size", status: "Status" },
    status: { registered: "Registered", active: "Active", inactive: "Was active", retired: "Retired" } as Record<string, string>,
    defaultActive: (model: string) => `No version is active: chats use the server's default model, ${model}.`,
    activate: "Activate",
    rollback: "Roll back",
    retire: "Retire",
    confirmRetire: (name: string) => `Retire ${name}? It is removed from the model server; its record stays.`,
    confirmRollback: (name: string) => `Roll back ${name}? The version active before it (or the default model) takes over.`,
    details: "Compare",
    gateHeading: (name: string) => `${name} against the active model`,
    thisVersion: "This version",
    activeModel: "Active model",
    activeModelNamed: (model: string) => `Active model (${model})`,
    winRateLabel: "Win rate in picks",
    picks: (n: number) => `${plural(n, "pick", "picks")} so far`,
    prompt: "Held-out prompt",
    reference: "The answer in the data",
    answerBoth: "Answer it with both models",
    answering: "Writing…",
    pick: { version: "This version is better", tie: "About the same", active: "The active model is better" },
    base: "Base, untrained",
    heldout: (rows: number, set: string) => `Same ${plural(rows, "held-out row", "held-out rows")} (set ${set.slice(0, 12)})`,
    isActive: "This is the active model.",
    notEvaluated: "Not evaluated: activating it needs a reason.",
    noActiveScore: "The active model has no score on this held-out set.",
    better: "Better than the active model on the held-out rows (lower is better).",
    worse: "Worse than the active model on the held-out rows (lower is better).",
    noPicks: "No picks yet.",
    samplesHeading: "Held-out prompts answered by both",
    noSamples: "No samples were recorded for this version.",
    picked: "Thanks, recorded.",
    activated: (model: string) => `Active now: ${model}.`,
    rolledBack: (model: string) => `Rolled back; chats now use ${model}.`,
    retired: (name: string) => `${name} is retired.`,
  },

  gate: {
    versionBpb: "This version",
    activeBpb: "Active model",
    neverEvaluated: "never evaluated",
    noScore: "no comparable score",
    reason: "Reason for overriding",
    placeholder: "e.g. the held-out set predates the new data; the picks favour it",
    confirm: "Activate anyway",
  },

  audit: {
    heading: "What admins did",
    none: "Nothing yet.",
    columns: { at: "When", actor: "Who", action: "What", target: "On", reason: "Reason" },
    actions: {
      "version.activate": "Activated a version",
      "version.activate_override": "Activated a version past the gate",
      "version.rollback": "Rolled back a version",
      "version.retire": "Retired a version",
      "version.pick": "Picked the better answer",
      "run.start": "Started a training run",
      "run.cancel": "Cancelled a training run",
      "user.disable": "Disabled an account",
      "user.enable": "Enabled an account",
      "user.staff_grant": "Made an administrator",
      "user.staff_remove": "Removed an administrator",
      "signup.open": "Opened sign-up",
      "signup.close": "Closed sign-up",
      "dataset.exclude": "Excluded a training row",
      "dataset.include": "Included a training row again",
      "dataset.reveal_account": "Opened a row's account",
    } as Record<string, string>,
  },

  users: {
    heading: "Accounts",
    signupOpen: "Anyone can sign up.",
    signupClosed: "Sign-up is closed: only existing accounts can sign in.",
    openSignup: "Open sign-up",
    closeSignup: "Close sign-up",
    columns: { username: "Username", email: "Email", role: "Role", state: "State", created: "Created", activity: "Activity" },
    staff: "Administrator",
    member: "Member",
    disabled: "Disabled",
    enabled: "Active",
    you: "(you)",
    activity: (conversations: number) => plural(conversations, "conversation", "conversations"),
    excludedFromTraining: "Keeps their conversations out of training",
    more: "Load more",
    disable: "Disable",
    enable: "Enable",
    grantStaff: "Make administrator",
    removeStaff: "Remove administrator",
    confirmDisable: (name: string) => `Disable ${name}? They are signed out everywhere at once.`,
  },
};

export type AdminText = typeof ADMIN_TEXT;

/** "3 min 20 s", "45 s", "1 h 5 min": for durations and estimates. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return s % 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s / 60} min`;
  const m = Math.round((s % 3600) / 60);
  return m ? `${Math.floor(s / 3600)} h ${m} min` : `${Math.floor(s / 3600)} h`;
}

/** A date and time as the reader's locale writes them. */
export function when(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString() : ADMIN_TEXT.none;
}

/** Bytes as "1.2 GB", "340 MB". */
export function size(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return ADMIN_TEXT.none;
  const units = ["B", "kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(value < 10 && unit > 0 ? 1 : 0)} ${units[unit]}`;
}
