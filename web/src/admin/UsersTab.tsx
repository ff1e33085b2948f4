// Accounts: disable or enable one, grant or remove staff, download one's data (a data request; the
// server audits it), open or close sign-up. The server refuses changing yourself and removing the
// last administrator; its refusal is shown in errorText's words.
import { useState } from "react";
import type { AdminUserOut, AdminUserPatch, UserOut } from "../contract";
import { adminApi } from "./adminApi";
import { AdminTable } from "./AdminTable";
import { Failure } from "./Failure";
import { when } from "./format";
import { ADMIN_TEXT, adminWords } from "./text";
import { useLoad } from "./useLoad";

const T = adminWords((t) => t.users);

export function UsersTab({ me }: { me: Pick<UserOut, "id"> }) {
  const users = useLoad(() => adminApi.users(null));
  const settings = useLoad(adminApi.settings);
  const [error, setError] = useState<unknown>(null);

  const update = (u: AdminUserOut, patch: AdminUserPatch) => {
    if (patch.disabled && !window.confirm(T.confirmDisable(u.username))) return;
    setError(null);
    adminApi
      .updateUser(u.id, patch)
      .then((next) => users.setData((current) => current && { ...current, users: current.users.map((x) => (x.id === next.id ? next : x)) }))
      .catch(setError);
  };
  const more = (cursor: string) => {
    setError(null);
    adminApi
      .users(cursor)
      .then((next) => users.setData((current) => ({ users: [...(current?.users ?? []), ...next.users], next_cursor: next.next_cursor })))
      .catch(setError);
  };
  const signup = (open: boolean) => {
    setError(null);
    adminApi
      .updateSettings({ signup_open: open })
      .then((next) => settings.setData(() => next))
      .catch(setError);
  };

  return (
    <section aria-label={ADMIN_TEXT.tabs.users}>
      <h2>{T.heading}</h2>
      <Failure error={settings.error} onRetry={settings.reload} />
      {settings.data ? (
        <div className="startrun">
          <span>{settings.data.signup_open ? T.signupOpen : T.signupClosed}</span>
          <button type="button" onClick={() => signup(!settings.data?.signup_open)}>
            {settings.data.signup_open ? T.closeSignup : T.openSignup}
          </button>
        </div>
      ) : null}
      <Failure error={users.error ?? error} onRetry={users.error ? users.reload : undefined} />
      <AdminTable
        headings={[T.columns.username, T.columns.email, T.columns.role, T.columns.state, T.columns.created, T.columns.activity, ""]}
        rows={
          users.data
            ? users.data.users.map((u) => {
                const self = u.id === me.id;
                return (
                  <tr key={u.id} data-user-id={u.id} className={u.disabled ? "disabled" : ""}>
                    <td dir="auto">
                      {u.username} {self ? <span className="muted">{T.you}</span> : null}
                    </td>
                    <td dir="auto">{u.email}</td>
                    <td>{u.is_staff ? T.staff : T.member}</td>
                    <td>{u.disabled ? T.disabled : T.enabled}</td>
                    <td>{when(u.created_at)}</td>
                    <td>
                      {T.activity(u.conversations)}
                      {u.exclude_from_training ? <div className="muted">{T.excludedFromTraining}</div> : null}
                    </td>
                    <td>
                      <div className="actions">
                        <a href={adminApi.userExportUrl(u.id)} download title={T.downloadTitle(u.username)}>
                          {T.download}
                        </a>
                        {self ? null : (
                          <>
                            <button type="button" onClick={() => update(u, { disabled: !u.disabled })}>
                              {u.disabled ? T.enable : T.disable}
                            </button>
                            <button type="button" onClick={() => update(u, { is_staff: !u.is_staff })}>
                              {u.is_staff ? T.removeStaff : T.grantStaff}
                            </button>
                          </>
                        )}
                      </div>
                    </td>
                  </tr>
                );
              })
            : null
        }
      />
      {users.data?.next_cursor ? (
        <button type="button" className="more" onClick={() => users.data?.next_cursor && more(users.data.next_cursor)}>
          {T.more}
        </button>
      ) : null}
    </section>
  );
}
