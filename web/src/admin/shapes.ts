// What the admin endpoints send, as the shared design of issue 13 fixes them, until the backend's
// contract modules are in contract.ts; each type here goes once its contract lands.
import type { DatasetRowOut, ModelVersionOut as ChatModelVersionOut } from "../contract";

export type DatasetSource = DatasetRowOut["source"];

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
