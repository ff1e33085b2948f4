// Generated from the server's contract (the pydantic package contract/, `python -m contract`)
// by web/scripts/contract-types.mjs. Do not edit: run `make contract` after changing contract/;
// `make test` fails while this file is stale.

export type ClientFrame =
  Ping | ChatSend | ChatStop | ChatRegenerate | ChatEdit | ConversationOpen | ConversationClose | MessageSyncRequest;
export type ServerFrame =
  | Pong
  | ErrorFrame
  | ConversationCreated
  | ConversationSnapshot
  | MessageCreated
  | MessageDelta
  | MessageSync
  | MessageQueued
  | MessageDone
  | ConversationUpdated
  | ConversationDeleted
  | ModelsChanged
  | TrainingProgress;
export type ErrorCode =
  | "unauthenticated"
  | "invalid_token"
  | "invalid_credentials"
  | "signed_out"
  | "forbidden"
  | "csrf_failed"
  | "rate_limited"
  | "no_such_endpoint"
  | "method_not_allowed"
  | "unsupported_media_type"
  | "body_too_large"
  | "invalid_id"
  | "invalid_query"
  | "invalid_cursor"
  | "invalid_body"
  | "invalid_import"
  | "empty_patch"
  | "bad_frame"
  | "bad_json"
  | "frame_too_large"
  | "unknown_type"
  | "invalid_frame"
  | "not_found"
  | "empty_content"
  | "content_too_long"
  | "busy"
  | "too_many_generations"
  | "not_streaming"
  | "invalid_parent"
  | "invalid_message"
  | "not_an_answer"
  | "still_streaming"
  | "username_taken"
  | "email_taken"
  | "account_disabled"
  | "signup_closed"
  | "cannot_change_self"
  | "last_staff"
  | "name_taken"
  | "version_active"
  | "not_active"
  | "model_not_in_ollama"
  | "eval_gate"
  | "unknown_preset"
  | "run_finished"
  | "model_not_found"
  | "model_server_unavailable"
  | "model_server_busy"
  | "model_queue_full"
  | "model_server_timeout"
  | "model_server_error"
  | "answer_cut_short"
  | "database_gone"
  | "interrupted"
  | "answer_failed"
  | "unavailable"
  | "internal";
export type MessageStatus = "complete" | "queued" | "streaming" | "stopped" | "failed" | "interrupted";

/**
 * Every frame, HTTP body and error code between hadra's server and its clients.
 */
export interface HadraContract {
  ClientFrame: ClientFrame;
  ServerFrame: ServerFrame;
  ErrorCode: ErrorCode;
  ErrorInfo: ErrorInfo;
  ErrorReply: ErrorReply;
  ExportDoc: ExportDoc;
  AccountExportDoc: AccountExportDoc;
  MeOut: MeOut;
  UserOut: UserOut;
  TokenCreatedOut: TokenCreatedOut;
  TokenListOut: TokenListOut;
  ConversationPageOut: ConversationPageOut;
  BranchOut: BranchOut;
  SearchOut: SearchOut;
  ModelsOut: ModelsOut;
  ModelVersionListOut: ModelVersionListOut;
  ModelVersionOut: ModelVersionOut;
  ActivationOut: ActivationOut;
  AuditPageOut: AuditPageOut;
  PresetListOut: PresetListOut;
  TrainingRunOut: TrainingRunOut;
  TrainingRunListOut: TrainingRunListOut;
  AdminUserPageOut: AdminUserPageOut;
  AdminUserOut: AdminUserOut;
  SiteSettingsOut: SiteSettingsOut;
  DatasetCountsOut: DatasetCountsOut;
  DatasetRowsOut: DatasetRowsOut;
  ExclusionOut: ExclusionOut;
  RowAccountOut: RowAccountOut;
  RegisterIn: RegisterIn;
  LoginIn: LoginIn;
  PasswordChangeIn: PasswordChangeIn;
  TokenIn: TokenIn;
  ConversationPatch: ConversationPatch;
  FeedbackIn: FeedbackIn;
  ModelVersionIn: ModelVersionIn;
  ActivateIn: ActivateIn;
  PickIn: PickIn;
  TrainingRunIn: TrainingRunIn;
  MePatch: MePatch;
  AccountDeleteIn: AccountDeleteIn;
  AdminUserPatch: AdminUserPatch;
  SiteSettingsPatch: SiteSettingsPatch;
}
export interface Ping {
  request_id?: string | null;
  type: "ping";
}
/**
 * A question: in a new conversation (no ``conversation_id``) or under ``parent_id`` (default:
 * the active branch's last answer).
 */
export interface ChatSend {
  request_id?: string | null;
  type: "chat.send";
  conversation_id?: string | null;
  content: string;
  parent_id?: string | null;
  model?: string | null;
  system_prompt?: string | null;
}
export interface ChatStop {
  request_id?: string | null;
  type: "chat.stop";
  message_id: string;
}
export interface ChatRegenerate {
  request_id?: string | null;
  type: "chat.regenerate";
  message_id: string;
  model?: string | null;
}
export interface ChatEdit {
  request_id?: string | null;
  type: "chat.edit";
  message_id: string;
  content: string;
}
export interface ConversationOpen {
  request_id?: string | null;
  type: "conversation.open";
  conversation_id: string;
}
export interface ConversationClose {
  request_id?: string | null;
  type: "conversation.close";
  conversation_id: string;
}
/**
 * A client that saw a gap in ``seq`` asks for the full text so far.
 */
export interface MessageSyncRequest {
  request_id?: string | null;
  type: "message.sync";
  message_id: string;
}
export interface Pong {
  request_id: string | null;
  type: "pong";
}
/**
 * A frame the server refused, or the socket's credential ended (``signed_out``).
 */
export interface ErrorFrame {
  code: ErrorCode;
  /**
   * What went wrong and how to fix it, in English, for API users and logs.
   */
  message: string;
  /**
   * What a translated sentence needs, e.g. the field and the limit.
   */
  params: {
    [k: string]: string | number;
  };
  request_id: string | null;
  type: "error";
}
export interface ConversationCreated {
  request_id: string | null;
  type: "conversation.created";
  conversation: ConversationOut;
}
export interface ConversationOut {
  id: string;
  /**
   * Null until the first answer names it: clients show their own 'New chat'.
   */
  title: string | null;
  model: string | null;
  /**
   * Why the model changed without the user choosing (its model was retired); null when it did not.
   */
  model_note: ModelNote | null;
  system_prompt: string;
  active_leaf_id: string | null;
  created_at: string;
  updated_at: string;
}
/**
 * Why the model changed without the user choosing: a code and what its sentence needs, so each
 * client says it in the reader's language (never an English sentence stored in the database).
 */
export interface ModelNote {
  code: "model_retired";
  params: ModelNoteParams;
}
export interface ModelNoteParams {
  /**
   * The model that was retired (empty when a note from before codes did not name it).
   */
  model: string;
}
/**
 * The answer to ``conversation.open``: the conversation and its active branch, root first.
 */
export interface ConversationSnapshot {
  request_id: string | null;
  type: "conversation.snapshot";
  conversation: ConversationOut;
  messages: BranchMessageOut[];
}
export interface BranchMessageOut {
  id: string;
  conversation_id: string;
  parent_id: string | null;
  role: "user" | "assistant" | "system";
  content: string;
  status: MessageStatus;
  model: string | null;
  /**
   * Why the answer failed or was interrupted.
   */
  error: ErrorInfo | null;
  stats: Stats | null;
  feedback: FeedbackOut | null;
  created_at: string;
  updated_at: string;
  /**
   * This message and its alternatives (same parent), oldest first.
   */
  sibling_ids: string[];
  /**
   * Position of this message in `sibling_ids`.
   */
  sibling_index: number;
}
/**
 * An error as every client sees it, on the socket and over HTTP.
 */
export interface ErrorInfo {
  code: ErrorCode;
  /**
   * What went wrong and how to fix it, in English, for API users and logs.
   */
  message: string;
  /**
   * What a translated sentence needs, e.g. the field and the limit.
   */
  params: {
    [k: string]: string | number;
  };
}
/**
 * How an answer was generated: time to first token, tokens and speed (Ollama's counts).
 */
export interface Stats {
  ttft_ms: number | null;
  eval_count: number | null;
  tokens_per_s: number | null;
  prompt_eval_count: number | null;
  total_ms: number | null;
  load_ms: number | null;
}
export interface FeedbackOut {
  rating: "up" | "down";
  note: string;
  created_at: string;
}
export interface MessageCreated {
  request_id: string | null;
  type: "message.created";
  message: MessageOut;
}
export interface MessageOut {
  id: string;
  conversation_id: string;
  parent_id: string | null;
  role: "user" | "assistant" | "system";
  content: string;
  status: MessageStatus;
  model: string | null;
  /**
   * Why the answer failed or was interrupted.
   */
  error: ErrorInfo | null;
  stats: Stats | null;
  feedback: FeedbackOut | null;
  created_at: string;
  updated_at: string;
}
/**
 * The next piece of an answer; ``seq`` counts deltas from 1, so a client sees a gap.
 */
export interface MessageDelta {
  type: "message.delta";
  message_id: string;
  seq: number;
  text: string;
}
/**
 * All the text of an answer so far: what the first ``seq`` deltas carried (``seq`` null and
 * ``status`` set when the answer had already ended).
 */
export interface MessageSync {
  type: "message.sync";
  message_id: string;
  seq: number | null;
  text: string;
  status: MessageStatus | null;
}
/**
 * An answer waits for the model (status ``queued``): ``position`` answers are ahead of it.
 * Sent when it starts waiting and each time the position changes; 0 means it goes next (or
 * has just been let through: its deltas follow).
 */
export interface MessageQueued {
  type: "message.queued";
  message_id: string;
  position: number;
}
/**
 * An answer ended: its whole text, how it ended, and why when it failed.
 */
export interface MessageDone {
  type: "message.done";
  message_id: string;
  status: MessageStatus;
  stats: Stats | null;
  error: ErrorInfo | null;
  content: string;
  /**
   * Deltas sent; null when the process that streamed it stopped.
   */
  seq: number | null;
}
export interface ConversationUpdated {
  type: "conversation.updated";
  conversation: ConversationTitle;
}
/**
 * A conversation's new title (``conversation.updated``): only what changed.
 */
export interface ConversationTitle {
  id: string;
  title: string;
}
export interface ConversationDeleted {
  type: "conversation.deleted";
  conversation_id: string;
}
/**
 * An admin changed the default model: new conversations use ``default_model`` from now on.
 */
export interface ModelsChanged {
  type: "models.changed";
  default_model: string;
  models: string[];
}
/**
 * Staff sockets only: a training run changed (status, progress, loss curve, log tail).
 */
export interface TrainingProgress {
  type: "training.progress";
  run: TrainingRunOut;
}
export interface TrainingRunOut {
  id: string;
  preset: string;
  status: "queued" | "running" | "succeeded" | "failed" | "cancelled";
  created_by: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  worker_id: string | null;
  cancel_requested: boolean;
  progress: RunProgressOut;
  /**
   * [step, loss] pairs of the training stage.
   */
  loss_curve: number[][];
  /**
   * The last lines the run's steps printed (at most 200).
   */
  log_tail: string[];
  /**
   * The run's own folder on the worker's machine.
   */
  folder: string;
  /**
   * The model version registered by the run.
   */
  version_id: string | null;
  error: RunErrorOut | null;
  /**
   * {rows, by_source} of the dataset the run trained on.
   */
  dataset: {
    [k: string]: unknown;
  } | null;
}
export interface RunProgressOut {
  stage: "queued" | "dataset" | "train" | "eval" | "export" | "register";
  step: number;
  total_steps: number;
  loss: number | null;
  /**
   * Seconds left in the training stage, estimated from its pace.
   */
  eta_s: number | null;
}
export interface RunErrorOut {
  /**
   * worker_lost, dataset_failed, train_failed, eval_failed, export_failed, …
   */
  code: string;
  message: string;
}
/**
 * Every failed request: ``{"error": {code, message, params}}`` with a 4xx/5xx status.
 */
export interface ErrorReply {
  error: ErrorInfo;
}
export interface ExportDoc {
  format: "hadra.conversation";
  version: 1;
  conversation: ExportConversation;
  /**
   * Every message of every branch, parents first.
   *
   * @maxItems 10000
   */
  messages: ExportMessage[];
}
export interface ExportConversation {
  title?: string | null;
  system_prompt?: string;
  model?: string | null;
  active_leaf_id?: string | null;
  created_at: string;
  updated_at: string;
}
export interface ExportMessage {
  /**
   * Any id unique within the file; new ids are assigned on import.
   */
  id: string;
  parent_id?: string | null;
  role: "user" | "assistant" | "system";
  content: string;
  status?: MessageStatus;
  model?: string | null;
  error?: ExportError | null;
  stats?: ExportStats | null;
  feedback?: ExportFeedback | null;
  edited_from?: string | null;
  created_at: string;
  updated_at: string;
}
/**
 * Why an exported answer failed, as the server stored it.
 */
export interface ExportError {
  code: ErrorCode;
  message: string;
  /**
   * What a translated sentence needs, e.g. the field and the limit.
   */
  params: {
    [k: string]: string | number;
  };
}
/**
 * The stored stats in an export file, checked like any body on import, numbers storable.
 */
export interface ExportStats {
  ttft_ms: number | null;
  eval_count: number | null;
  tokens_per_s: number | null;
  prompt_eval_count: number | null;
  total_ms: number | null;
  load_ms: number | null;
}
export interface ExportFeedback {
  rating: "up" | "down";
  note?: string;
  created_at: string;
}
/**
 * Everything an account holds (``GET /api/auth/me/export``): its settings, and each conversation
 * in the ``hadra.conversation`` format, every branch (each re-imports with the import endpoint).
 */
export interface AccountExportDoc {
  format: "hadra.account";
  version: 1;
  exported_at: string;
  account: AccountExportAccount;
  conversations: ExportDoc[];
}
export interface AccountExportAccount {
  username: string;
  email: string;
  created_at: string;
  language: ("en" | "fr" | "ar") | null;
  theme: "system" | "light" | "dark";
  default_model: string | null;
  default_system_prompt: string;
  exclude_from_training: boolean;
}
export interface MeOut {
  id: string;
  username: string;
  email: string;
  is_staff: boolean;
  created_at: string;
  /**
   * How this request was authenticated.
   */
  auth_method: "session" | "token";
  /**
   * Your conversations are never used to train a model.
   */
  exclude_from_training: boolean;
  /**
   * The interface language; null follows the browser's languages.
   */
  language: ("en" | "fr" | "ar") | null;
  /**
   * The colour scheme; `system` follows the device.
   */
  theme: "system" | "light" | "dark";
  /**
   * The model of your new conversations; null is the server's default (what the admin activates).
   */
  default_model: string | null;
  /**
   * The system prompt of your new conversations.
   */
  default_system_prompt: string;
  /**
   * Set when your pinned default model was retired and you went back to the server's default; cleared when you save a default model again.
   */
  default_model_notice: ModelNote | null;
}
export interface UserOut {
  id: string;
  username: string;
  email: string;
  is_staff: boolean;
  created_at: string;
}
export interface TokenCreatedOut {
  id: string;
  name: string;
  created_at: string;
  last_used_at: string | null;
  /**
   * The secret, shown only in this reply: store it now.
   */
  token: string;
}
export interface TokenListOut {
  tokens: TokenOut[];
}
export interface TokenOut {
  id: string;
  name: string;
  created_at: string;
  last_used_at: string | null;
}
export interface ConversationPageOut {
  conversations: ConversationOut[];
  /**
   * Pass as `cursor` for the next page; null on the last page.
   */
  next_cursor: string | null;
}
export interface BranchOut {
  conversation: ConversationOut;
  /**
   * The active branch, root first.
   */
  messages: BranchMessageOut[];
}
export interface SearchOut {
  /**
   * Newest conversation first; at most one hit per conversation.
   */
  results: SearchHitOut[];
}
export interface SearchHitOut {
  conversation: ConversationOut;
  /**
   * The message that matched; null when only the title did.
   */
  message_id: string | null;
  /**
   * Who wrote that message; null for a title.
   */
  role: ("user" | "assistant") | null;
  /**
   * At most 160 characters of the original text around the first match.
   */
  snippet: string;
  /**
   * False when the message is on another branch: PATCH the conversation's `active_leaf_id` with `message_id` to open it.
   */
  on_active_branch: boolean;
}
export interface ModelsOut {
  /**
   * The active fine-tune's Ollama model, else the server's DEFAULT_MODEL.
   */
  default_model: string;
  /**
   * Models the Ollama hosts that answer serve now, together (empty when none can be reached).
   */
  models: string[];
  active_version: ModelVersionOut | null;
  /**
   * Why `models` is empty, when no Ollama host could be reached.
   */
  ollama_error: ErrorInfo | null;
}
export interface ModelVersionOut {
  id: string;
  name: string;
  base_model: string;
  ollama_model: string;
  source_run: string | null;
  gguf_sha256: string[];
  metrics: {
    [k: string]: unknown;
  };
  /**
   * registered: never active; active: the default now; inactive: was active, still in Ollama; retired: removed from every Ollama host, record kept.
   */
  status: "registered" | "active" | "inactive" | "retired";
  created_at: string;
  activated_at: string | null;
  retired_at: string | null;
  picks: Picks;
  /**
   * The gate's figures (null where the reply does not compute them).
   */
  gate: GateOut | null;
  /**
   * The Ollama hosts (OLLAMA_HOSTS) that cannot serve it now: down, or without the model; empty when every host has it. Staff replies only; null for a retired version and in `GET /api/models`.
   */
  missing_on: string[] | null;
}
export interface Picks {
  /**
   * Held-out prompts where an admin preferred this version's answer.
   */
  version: number;
  /**
   * … the active model's answer.
   */
  active: number;
  tie: number;
}
/**
 * What the activation gate compares: this version and the active model on the same held-out rows.
 */
export interface GateOut {
  /**
   * sha256 of the held-out set it was scored on; null: never evaluated.
   */
  heldout_set: string | null;
  /**
   * This version's bits per byte on it (lower is better).
   */
  version_bpb: number | null;
  /**
   * The model answering now (Ollama name).
   */
  active_model: string;
  /**
   * The active model's bits per byte on the same set, when known.
   */
  active_bpb: number | null;
  /**
   * Share of picks for this version, a tie counting half; null: none.
   */
  win_rate: number | null;
  /**
   * Whether activating it needs no override reason.
   */
  passes: boolean;
}
export interface ModelVersionListOut {
  /**
   * Newest first.
   */
  versions: ModelVersionOut[];
}
export interface ActivationOut {
  default_model: string;
  active_version: ModelVersionOut | null;
}
export interface AuditPageOut {
  /**
   * Newest first.
   */
  entries: AuditEntryOut[];
  /**
   * Pass as `before` for older entries; null on the last page.
   */
  next_cursor: string | null;
}
export interface AuditEntryOut {
  id: string;
  at: string;
  /**
   * The staff user's name at the time.
   */
  actor: string;
  /**
   * Dotted, e.g. `version.activate`, `version.activate_override`, `user.disable`.
   */
  action: string;
  target: string;
  details: {
    [k: string]: unknown;
  };
  /**
   * The override reason, when a check was overridden.
   */
  reason: string | null;
}
export interface PresetListOut {
  presets: PresetOut[];
}
export interface PresetOut {
  name: string;
  description: string;
  device: "cpu" | "gpu";
  /**
   * Whether a worker alive now can run it (a GPU preset needs a GPU worker).
   */
  runnable: boolean;
}
export interface TrainingRunListOut {
  /**
   * Newest first.
   */
  runs: TrainingRunOut[];
  /**
   * Workers seen in the last 30 seconds.
   */
  workers: WorkerOut[];
  /**
   * How to start a worker, when none is alive.
   */
  enable_hint: string | null;
}
export interface WorkerOut {
  worker_id: string;
  host: string;
  seen_at: string;
  presets: string[];
  run_id: string | null;
}
export interface AdminUserPageOut {
  /**
   * By username.
   */
  users: AdminUserOut[];
  /**
   * Pass as `cursor` for the next page; null on the last page.
   */
  next_cursor: string | null;
}
export interface AdminUserOut {
  id: string;
  username: string;
  email: string;
  is_staff: boolean;
  /**
   * A disabled account cannot sign in; its sessions and API tokens were ended.
   */
  disabled: boolean;
  /**
   * The user excluded their conversations from training.
   */
  exclude_from_training: boolean;
  created_at: string;
  /**
   * How many conversations the account has.
   */
  conversations: number;
}
export interface SiteSettingsOut {
  /**
   * Whether anyone may create an account (POST /api/auth/register).
   */
  signup_open: boolean;
}
export interface DatasetCountsOut {
  /**
   * 👍 answers that would be training rows.
   */
  chat_rated: number;
  /**
   * Answers corrected by hand that would be training rows.
   */
  chat_edited: number;
  /**
   * Usable records of the translation files in `translations_folder`.
   */
  translation: number;
  /**
   * 👎 answers with a 👍 or corrected sibling.
   */
  preference_pairs: number;
  /**
   * Rows and pairs staff excluded (listed with `excluded: true`).
   */
  excluded: number;
  /**
   * Rows and pairs left out because their author opted out of training.
   */
  opted_out: number;
  /**
   * Every other answer left out, by reason.
   */
  skipped: {
    [k: string]: number;
  };
  /**
   * Chat rows and pairs that became training data at or after `new_since`.
   */
  new: number;
  /**
   * Null: no training run has succeeded yet (everything is new).
   */
  new_since: string | null;
  /**
   * Where the server looks for translation files (`HADRA_TRANSLATIONS_DIR`, default `var/translations`): every `*.jsonl` there but `*.failed*.jsonl` and `*.dropped.jsonl`.
   */
  translations_folder: string;
}
export interface DatasetRowsOut {
  /**
   * Newest first; translation records in file order.
   */
  rows: DatasetRowOut[];
  /**
   * Pass as `cursor` for the next page; null on the last page.
   */
  next_cursor: string | null;
}
export interface DatasetRowOut {
  source: "chat_rated" | "chat_edited" | "translation" | "preference_pairs";
  /**
   * The answer (the 👎 answer of a pair); null for a translation record.
   */
  message_id: string | null;
  conversation_id: string | null;
  /**
   * The message id, or file:line of a translation record.
   */
  origin: string;
  /**
   * What the model is shown: system prompt (if any) and turns.
   */
  prompt: DatasetTurnOut[];
  /**
   * What it learns to say (a pair's better answer).
   */
  answer: string;
  /**
   * A pair's 👎 answer; null for other rows.
   */
  rejected: string | null;
  /**
   * Staff excluded it: no run trains on it until it is included again.
   */
  excluded: boolean;
  /**
   * When it became training data (the answer, or its rating when later).
   */
  at: string | null;
}
export interface DatasetTurnOut {
  role: "system" | "user" | "assistant";
  content: string;
}
export interface ExclusionOut {
  message_id: string;
  excluded: boolean;
}
export interface RowAccountOut {
  message_id: string;
  user_id: string;
  /**
   * Null when the account no longer exists.
   */
  username: string | null;
}
export interface RegisterIn {
  /**
   * 3–40 letters, digits, `_`, `.` or `-`; case-insensitive.
   */
  username: string;
  email: string;
  password: string;
}
export interface LoginIn {
  username: string;
  password: string;
}
export interface PasswordChangeIn {
  current_password: string;
  new_password: string;
}
export interface TokenIn {
  name: string;
}
/**
 * Only the fields sent change (``model_fields_set``); only ``model`` may be sent as null.
 */
export interface ConversationPatch {
  title?: string;
  system_prompt?: string;
  /**
   * `null` goes back to the default model.
   */
  model?: string | null;
  /**
   * Switch branch: any message of this conversation; the active leaf becomes its newest deepest descendant (the message itself when it has no replies).
   */
  active_leaf_id?: string;
}
export interface FeedbackIn {
  /**
   * Null clears an earlier rating (and its note).
   */
  rating: ("up" | "down") | null;
  note?: string;
}
export interface ModelVersionIn {
  name: string;
  base_model: string;
  /**
   * The name Ollama serves it under (checked on activation).
   */
  ollama_model: string;
  source_run?: string | null;
  /**
   * @maxItems 8
   */
  gguf_sha256?: string[];
  metrics?: {
    [k: string]: number | string | boolean;
  };
}
export interface ActivateIn {
  /**
   * Activate although the evaluation gate refuses; recorded in the audit.
   */
  override_reason?: string | null;
}
export interface PickIn {
  /**
   * Whose answer to a held-out prompt was better, or a tie.
   */
  winner: "version" | "active" | "tie";
}
export interface TrainingRunIn {
  preset: string;
}
/**
 * Your own settings: only the fields sent change (at least one); `language` and
 * `default_model` may be sent as null.
 */
export interface MePatch {
  /**
   * `null` follows the browser's languages.
   */
  language?: ("en" | "fr" | "ar") | null;
  theme?: "system" | "light" | "dark";
  /**
   * `null`: the server's default model.
   */
  default_model?: string | null;
  default_system_prompt?: string;
  /**
   * `true`: none of your conversations (past or future) is used to train a model.
   */
  exclude_from_training?: boolean;
}
export interface AccountDeleteIn {
  /**
   * Your password: deleting the account and everything in it cannot be undone.
   */
  password: string;
}
/**
 * Only the fields sent change. Not on your own account (disable, remove staff), and never the
 * last staff account that can sign in.
 */
export interface AdminUserPatch {
  /**
   * `true` disables the account: its sessions and API tokens end, its open sockets close, its answers in progress stop. `false` enables it again (it signs in anew; old tokens stay revoked).
   */
  disabled?: boolean;
  /**
   * Grant (`true`) or remove (`false`) staff rights.
   */
  is_staff?: boolean;
}
export interface SiteSettingsPatch {
  signup_open: boolean;
}
