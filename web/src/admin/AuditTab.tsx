// Every admin action, newest first: who, what, on what, when, and the reason given for an override.
import { useState } from "react";
import { adminApi } from "./adminApi";
import { AdminTable } from "./AdminTable";
import { Failure } from "./Failure";
import { when } from "./format";
import { ADMIN_TEXT, adminWords } from "./text";
import { useLoad } from "./useLoad";
import type { AuditEntryOut } from "../contract";

const T = adminWords((t) => t.audit);

/** What an entry acted on, by name where its details keep one (an account, a model, a preset). */
function targetName(entry: AuditEntryOut): string {
  for (const key of ["username", "model", "preset"]) {
    const value = entry.details[key];
    if (typeof value === "string" && value) return value;
  }
  return entry.target;
}

export function AuditTab() {
  const page = useLoad(() => adminApi.audit(null));
  const [more, setMore] = useState<unknown>(null);
  const older = (cursor: string) => {
    setMore(null);
    adminApi
      .audit(cursor)
      .then((next) => page.setData((current) => ({ entries: [...(current?.entries ?? []), ...next.entries], next_cursor: next.next_cursor })))
      .catch(setMore);
  };
  const entries = page.data?.entries ?? [];
  return (
    <section aria-label={ADMIN_TEXT.tabs.audit}>
      <h2>{T.heading}</h2>
      <Failure error={page.error} onRetry={page.reload} />
      <AdminTable
        headings={[T.columns.at, T.columns.actor, T.columns.action, T.columns.target, T.columns.reason]}
        rows={
          page.data
            ? entries.map((e) => (
                <tr key={e.id} data-action={e.action}>
                  <td>{when(e.at)}</td>
                  <td dir="auto">{e.actor}</td>
                  <td>{T.actions[e.action] ?? e.action}</td>
                  <td dir="auto" title={e.target}>
                    {targetName(e) || ADMIN_TEXT.none}
                  </td>
                  <td dir="auto">{e.reason ?? ""}</td>
                </tr>
              ))
            : null
        }
        empty={T.none}
      />
      {page.data?.next_cursor ? (
        <button type="button" className="more" onClick={() => page.data?.next_cursor && older(page.data.next_cursor)}>
          {ADMIN_TEXT.loadMore}
        </button>
      ) : null}
      <Failure error={more} />
    </section>
  );
}
