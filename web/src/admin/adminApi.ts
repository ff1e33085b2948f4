// The admin console's calls (/api/admin/...): staff only on the server; loaded with the console,
// so the chat's first load does not carry them.
import { request } from "../api";
import type {
  ActivationOut,
  AdminUserOut,
  AdminUserPageOut,
  AdminUserPatch,
  AuditPageOut,
  DatasetCountsOut,
  DatasetRowOut,
  DatasetRowsOut,
  ExclusionOut,
  ModelVersionListOut,
  ModelVersionOut,
  PickIn,
  PresetListOut,
  RowAccountOut,
  SiteSettingsOut,
  SiteSettingsPatch,
  TrainingRunListOut,
  TrainingRunOut,
} from "../contract";

const id = encodeURIComponent;

function query(params: Record<string, string | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) q.set(key, value);
  const s = q.toString();
  return s ? `?${s}` : "";
}

export const adminApi = {
  dataset: () => request<DatasetCountsOut>("GET", "/api/admin/dataset"),
  datasetRows: (source: DatasetRowOut["source"] | null, cursor: string | null) =>
    request<DatasetRowsOut>("GET", `/api/admin/dataset/rows${query({ source, cursor })}`),
  exclude: (messageId: string) => request<ExclusionOut>("PUT", `/api/admin/dataset/rows/${id(messageId)}/exclusion`),
  include: (messageId: string) => request<ExclusionOut>("DELETE", `/api/admin/dataset/rows/${id(messageId)}/exclusion`),
  rowAccount: (messageId: string) => request<RowAccountOut>("GET", `/api/admin/dataset/rows/${id(messageId)}/account`),

  presets: () => request<PresetListOut>("GET", "/api/admin/presets"),
  runs: () => request<TrainingRunListOut>("GET", "/api/admin/training-runs"),
  startRun: (preset: string) => request<TrainingRunOut>("POST", "/api/admin/training-runs", { preset }),
  cancelRun: (runId: string) => request<TrainingRunOut>("POST", `/api/admin/training-runs/${id(runId)}/cancel`),

  versions: () => request<ModelVersionListOut>("GET", "/api/admin/model-versions"),
  activate: (versionId: string, overrideReason?: string) =>
    request<ActivationOut>(
      "POST",
      `/api/admin/model-versions/${id(versionId)}/activate`,
      overrideReason === undefined ? undefined : { override_reason: overrideReason },
    ),
  rollback: (versionId: string) => request<ActivationOut>("POST", `/api/admin/model-versions/${id(versionId)}/rollback`),
  retire: (versionId: string) => request<ModelVersionOut>("DELETE", `/api/admin/model-versions/${id(versionId)}`),
  pick: (versionId: string, winner: PickIn["winner"]) =>
    request<ModelVersionOut>("POST", `/api/admin/model-versions/${id(versionId)}/picks`, { winner }),

  audit: (before: string | null) => request<AuditPageOut>("GET", `/api/admin/audit${query({ before })}`),

  users: (cursor: string | null) => request<AdminUserPageOut>("GET", `/api/admin/users${query({ cursor })}`),
  updateUser: (userId: string, patch: AdminUserPatch) =>
    request<AdminUserOut>("PATCH", `/api/admin/users/${id(userId)}`, patch),
  /** A plain link's target: the browser downloads the file the server names (with the session cookie). */
  userExportUrl: (userId: string) => `/api/admin/users/${id(userId)}/export`,
  settings: () => request<SiteSettingsOut>("GET", "/api/admin/settings"),
  updateSettings: (patch: SiteSettingsPatch) => request<SiteSettingsOut>("PATCH", "/api/admin/settings", patch),
};
