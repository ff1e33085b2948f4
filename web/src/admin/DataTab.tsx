// What the next run learns from: counts by source, and the rows themselves without account names;
// an admin excludes a row (a 👍 on nonsense) or opens its account on purpose (recorded in the audit).
import { useState } from "react";
import { adminApi } from "./adminApi";
import { Failure } from "./Failure";
import { formatNumber } from "../i18n/texts";
import { when } from "./format";
import { ADMIN_TEXT, adminWords } from "./text";
import type { DatasetRowOut, DatasetRowsOut } from "../contract";
import { useLoad } from "./useLoad";

const T = adminWords((t) => t.data);
type DatasetSource = DatasetRowOut["source"];
const SOURCES = Object.keys(T.sources) as DatasetSource[];

function Row({ row, onChanged }: { row: DatasetRowOut; onChanged(row: DatasetRowOut): void }) {
  const [account, setAccount] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const messageId = row.message_id;
  const toggle = (id: string) => {
    setError(null);
    (row.excluded ? adminApi.include(id) : adminApi.exclude(id)).then(() => onChanged({ ...row, excluded: !row.excluded })).catch(setError);
  };
  const reveal = (id: string) => {
    setError(null);
    adminApi
      .rowAccount(id)
      .then((a) => setAccount(a.username ?? T.accountGone))
      .catch(setError);
  };
  return (
    <li className={`datarow ${row.excluded ? "excluded" : ""}`} data-origin={row.origin}>
      <div className="datameta">
        <span className="tag">{T.sources[row.source]}</span>
        {row.excluded ? <span className="tag warn">{T.excludedTag}</span> : null}
        {row.at ? <span className="muted">{when(row.at)}</span> : null}
        {messageId ? null : <span className="muted">{row.origin}</span>}
        {account ? <span dir="auto">{T.account(account)}</span> : null}
        <span className="spacer" />
        {messageId && !account ? (
          <button type="button" onClick={() => reveal(messageId)}>
            {T.showAccount}
          </button>
        ) : null}
        {messageId ? (
          <button type="button" onClick={() => toggle(messageId)}>
            {row.excluded ? T.include : T.exclude}
          </button>
        ) : null}
      </div>
      <div className="turns">
        {row.prompt.map((turn, i) => (
          <div key={i} className={`turn ${turn.role}`}>
            <div className="label">{T.roles[turn.role]}</div>
            <div className="plain" dir="auto">
              {turn.content}
            </div>
          </div>
        ))}
        <div className="turn answer">
          <div className="label">{T.answer}</div>
          <div className="plain" dir="auto">
            {row.answer}
          </div>
        </div>
        {row.rejected !== null ? (
          <div className="turn rejected">
            <div className="label">{T.rejected}</div>
            <div className="plain" dir="auto">
              {row.rejected}
            </div>
          </div>
        ) : null}
      </div>
      <Failure error={error} />
    </li>
  );
}

export function DataTab() {
  const counts = useLoad(adminApi.dataset);
  const [source, setSource] = useState<DatasetSource | null>(null);
  const rows = useLoad(() => adminApi.datasetRows(source, null), source);
  const [more, setMore] = useState<unknown>(null);

  const loadMore = (page: DatasetRowsOut) => {
    setMore(null);
    adminApi
      .datasetRows(source, page.next_cursor)
      .then((next) => rows.setData((current) => ({ rows: [...(current?.rows ?? []), ...next.rows], next_cursor: next.next_cursor })))
      .catch(setMore);
  };
  const changed = (row: DatasetRowOut) => {
    rows.setData((current) => current && { ...current, rows: current.rows.map((r) => (r.origin === row.origin ? row : r)) });
    counts.reload();
  };

  const c = counts.data;
  const skipped = c ? Object.values(c.skipped).reduce((a, b) => a + b, 0) : 0;
  return (
    <section aria-label={ADMIN_TEXT.tabs.data}>
      <h2>{T.heading}</h2>
      <p className="muted">{T.privacy}</p>
      <Failure error={counts.error} onRetry={counts.reload} />
      {c ? (
        <dl className="counts">
          {SOURCES.map((s) => (
            <div key={s} data-count={s}>
              <dt>{T.sources[s]}</dt>
              <dd>{formatNumber(c[s])}</dd>
            </div>
          ))}
          <div data-count="new">
            <dt>{c.new_since ? T.newSince(when(c.new_since)) : T.newNeverRun}</dt>
            <dd>{formatNumber(c.new)}</dd>
          </div>
          <div data-count="excluded">
            <dt>{T.excluded}</dt>
            <dd>{formatNumber(c.excluded)}</dd>
          </div>
          <div data-count="opted_out">
            <dt>{T.optedOut}</dt>
            <dd>{formatNumber(c.opted_out)}</dd>
          </div>
          <div data-count="skipped">
            <dt>{T.skipped}</dt>
            <dd>{formatNumber(skipped)}</dd>
          </div>
        </dl>
      ) : null}
      {c ? <p className="muted">{T.translationsFolder(c.translations_folder)}</p> : null}

      <h3>{T.rowsHeading}</h3>
      <label className="inline">
        {T.filter}{" "}
        <select value={source ?? ""} onChange={(e) => setSource((e.target.value || null) as DatasetSource | null)}>
          <option value="">{T.allSources}</option>
          {SOURCES.map((s) => (
            <option key={s} value={s}>
              {T.sources[s]}
            </option>
          ))}
        </select>
      </label>
      <Failure error={rows.error} onRetry={rows.reload} />
      {rows.data ? (
        <>
          <ul className="datarows">
            {rows.data.rows.map((row) => (
              <Row key={row.origin} row={row} onChanged={changed} />
            ))}
            {rows.data.rows.length === 0 ? <li className="empty">{T.noRows}</li> : null}
          </ul>
          {rows.data.next_cursor ? (
            <button type="button" className="more" onClick={() => rows.data && loadMore(rows.data)}>
              {ADMIN_TEXT.loadMore}
            </button>
          ) : null}
          <Failure error={more} />
        </>
      ) : null}
    </section>
  );
}
