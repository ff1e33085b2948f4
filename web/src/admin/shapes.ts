// What the admin endpoints send, as the shared design of issue 13 fixes them, until the backend's
// contract modules are in contract.ts; each type here goes once its contract lands.
import type { ModelVersionOut as ChatModelVersionOut } from "../contract";

export type DatasetSource = "chat_rated" | "chat_edited" | "translation" | "preference_pairs";

export interface DatasetCountsOut {
  chat_rated: number;
  chat_edited: number;
  translation: number;
  preference_pairs: number;
  excluded: number;
  opted_out: number;
  skipped: Record<string, number>;
  new: number;
  new_since: string | null;
  translations_folder: string;
}

export interface DatasetTurnOut {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface DatasetRowOut {
  source: DatasetSource;
  message_id: string | null;
  conversation_id: string | null;
  origin: string;
  prompt: DatasetTurnOut[];
  answer: string;
  rejected: string | null;
  excluded: boolean;
  at: string | null;
}

export interface DatasetRowsOut {
  rows: DatasetRowOut[];
  next_cursor: string | null;
}

export interface RowAccountOut {
  message_id: string;
  user_id: string;
  username: string | null;
}

export interface Picks {
  version: number;
  active: number;
  tie: number;
}
export type PickWinner = keyof Picks;

export interface GateOut {
  heldout_set: string | null;
  version_bpb: number | null;
  active_model: string;
  active_bpb: number | null;
  win_rate: number | null;
  passes: boolean;
}

export interface ModelVersionOut extends Omit<ChatModelVersionOut, "status"> {
  status: "registered" | "active" | "inactive" | "retired";
  retired_at: string | null;
  picks: Picks;
  gate: GateOut | null;
}

export interface ModelVersionListOut {
  versions: ModelVersionOut[];
}

export interface AuditEntryOut {
  id: string;
  at: string;
  actor: string;
  action: string;
  target: string;
  details: Record<string, unknown>;
  reason: string | null;
}

export interface AuditPageOut {
  entries: AuditEntryOut[];
  next_cursor: string | null;
}

export interface AdminUserOut {
  id: string;
  username: string;
  email: string;
  is_staff: boolean;
  disabled: boolean;
  exclude_from_training: boolean;
  created_at: string;
  conversations: number;
}

export interface AdminUserPageOut {
  users: AdminUserOut[];
  next_cursor: string | null;
}

export interface SiteSettingsOut {
  signup_open: boolean;
}
