// Training runs: start one from a preset, watch it live (the server pushes `training.progress` to
// staff sockets; AdminPage hands each pushed run here), cancel it, read the history. When no worker
// is alive the server says how to start one, and that sentence is shown as it is.
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { adminApi } from "./adminApi";
import { AdminTable } from "./AdminTable";
import { Failure } from "./Failure";
import { duration, when } from "./format";
import { ADMIN_TEXT, adminWords } from "./text";
import { LossCurve } from "./LossCurve";
import type { TrainingRunListOut, TrainingRunOut } from "../contract";
import { useLoad } from "./useLoad";
import { errorText, type AppErrorCode, type RunFailure } from "../errorText";

const T = adminWords((t) => t.runs);
const LIVE = new Set(["queued", "running"]);
const WORKER_POLL_MS = 10_000;

/** A failed run's reason in the app's words: the worker's codes, or the API's. */
function runFailure(code: string) {
  return errorText(code as RunFailure | AppErrorCode, "run");
}

function tookSeconds(run: TrainingRunOut): number | null {
  if (!run.started_at || !run.finished_at) return null;
  return (Date.parse(run.finished_at) - Date.parse(run.started_at)) / 1000;
}

/** The list with `run` in it: replaced where it was, or first when it is new. */
export function withRun(list: TrainingRunListOut, run: TrainingRunOut): TrainingRunListOut {
  const known = list.runs.some((r) => r.id === run.id);
  return { ...list, runs: known ? list.runs.map((r) => (r.id === run.id ? run : r)) : [run, ...list.runs] };
}

/** The run's last lines, scrolled to the newest as they arrive. */
function LogTail({ lines, open }: { lines: string[]; open: boolean }) {
  const pre = useRef<HTMLPreElement>(null);
  const last = lines.at(-1);
  useLayoutEffect(() => {
    if (pre.current) pre.current.scrollTop = pre.current.scrollHeight;
  }, [last, lines.length]);
  return (
    <details className="logtail" open={open}>
      <summary>{T.logTail}</summary>
      <pre ref={pre} dir="auto">
        {lines.join("\n")}
      </pre>
    </details>
  );
}

/** The version a run registered: a way to it on the versions tab. */
function VersionLink({ id, onOpen }: { id: string; onOpen(id: string): void }) {
  return (
    <button type="button" className="link" onClick={() => onOpen(id)}>
      {T.openVersion}
    </button>
  );
}

export function RunView({ run, onCancel, onOpenVersion }: { run: TrainingRunOut; onCancel(): void; onOpenVersion(id: string): void }) {
  const { progress } = run;
  const took = tookSeconds(run);
  const failure = run.error ? runFailure(run.error.code) : null;
  return (
    <div className="runview" data-run-id={run.id} data-status={run.status} aria-label={T.current}>
      <div className="runhead">
        <strong>{run.preset}</strong>
        <span className={`tag status-${run.status}`}>{T.status[run.status]}</span>
        {run.status === "running" ? <span>{T.stage[progress.stage]}</span> : null}
        <span className="spacer" />
        {LIVE.has(run.status) ? (
          <button type="button" onClick={onCancel} disabled={run.cancel_requested}>
            {run.cancel_requested ? T.cancelling : T.cancel}
          </button>
        ) : null}
      </div>
      {progress.total_steps > 0 ? (
        <div className="runprogress">
          <progress value={progress.step} max={progress.total_steps} />
          <span className="steps">{T.step(progress.step, progress.total_steps)}</span>
          {progress.loss !== null ? <span>{T.loss(progress.loss)}</span> : null}
          {run.status === "running" && progress.eta_s !== null ? <span>{T.eta(duration(progress.eta_s))}</span> : null}
        </div>
      ) : null}
      {took !== null ? <div className="muted">{T.took(duration(took))}</div> : null}
      {typeof run.dataset?.rows === "number" ? <div className="muted">{T.rows(run.dataset.rows)}</div> : null}
      <LossCurve curve={run.loss_curve} />
      {run.version_id ? (
        <div>
          <VersionLink id={run.version_id} onOpen={onOpenVersion} />
        </div>
      ) : null}
      {failure && run.error ? (
        <div className="msgerror" role="alert" data-error-code={run.error.code}>
          <strong>{failure.title}.</strong> {failure.advice}
          <details className="detail">
            <summary>{ADMIN_TEXT.details}</summary>
            <span dir="auto">{run.error.message}</span>
          </details>
        </div>
      ) : null}
      {run.log_tail.length ? <LogTail lines={run.log_tail} open={LIVE.has(run.status) || run.status === "failed"} /> : null}
    </div>
  );
}

export function RunsTab({ pushed, onOpenVersion }: { pushed: TrainingRunOut | null; onOpenVersion(id: string): void }) {
  const list = useLoad(adminApi.runs);
  const presets = useLoad(adminApi.presets);
  const [preset, setPreset] = useState("");
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (pushed) list.setData((current) => current && withRun(current, pushed));
  }, [pushed]);

  // Workers come and go without a push (their heartbeats are not broadcast): read the list again
  // now and then, so a worker started after the page opened is seen, and a dead one is noticed.
  useEffect(() => {
    const timer = setInterval(() => {
      list.reload();
      presets.reload(); // which presets a live worker can run
    }, WORKER_POLL_MS);
    return () => clearInterval(timer);
  }, [list.reload, presets.reload]);

  const names = presets.data?.presets.map((p) => p.name) ?? [];
  const chosen = preset || names[0] || "";
  const runs = list.data?.runs ?? [];
  const shown = runs.find((r) => r.id === selected) ?? runs.find((r) => LIVE.has(r.status)) ?? runs[0] ?? null;

  const start = () => {
    setError(null);
    adminApi
      .startRun(chosen)
      .then((run) => {
        list.setData((current) => current && withRun(current, run));
        setSelected(run.id);
      })
      .catch(setError);
  };
  const cancel = (run: TrainingRunOut) => {
    if (!window.confirm(T.confirmCancel)) return;
    setError(null);
    adminApi
      .cancelRun(run.id)
      .then((next) => list.setData((current) => current && withRun(current, next)))
      .catch(setError);
  };

  const description = presets.data?.presets.find((p) => p.name === chosen)?.description;
  return (
    <section aria-label={ADMIN_TEXT.tabs.runs}>
      <h2>{T.startHeading}</h2>
      <Failure error={presets.error ?? list.error} onRetry={() => (presets.reload(), list.reload())} />
      {list.data && list.data.workers.length === 0 ? (
        <div className="banner banner-limit" role="status">
          {/* The server's sentence says how to start one on this install; ours when it sends none. */}
          <div dir="auto">{list.data.enable_hint ?? T.noWorker}</div>
        </div>
      ) : list.data ? (
        <p className="muted">{T.workers(list.data.workers.length)}</p>
      ) : null}
      <div className="startrun">
        <label className="inline">
          {T.preset}{" "}
          <select value={chosen} onChange={(e) => setPreset(e.target.value)} aria-label={T.preset}>
            {presets.data?.presets.map((p) => (
              <option key={p.name} value={p.name}>
                {p.runnable ? p.name : T.notRunnable(p.name, p.device)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="primary" onClick={start} disabled={!chosen}>
          {T.start}
        </button>
      </div>
      {description ? <p className="muted">{description}</p> : null}
      <Failure error={error} />

      {shown ? (
        <>
          <h3>{T.current}</h3>
          <RunView run={shown} onCancel={() => cancel(shown)} onOpenVersion={onOpenVersion} />
        </>
      ) : null}

      <h3>{T.history}</h3>
      <AdminTable
        headings={[T.columns.created, T.columns.preset, T.columns.status, T.columns.took, T.columns.result, ""]}
        rows={
          list.data
            ? runs.map((run) => {
                const took = tookSeconds(run);
                return (
                  <tr key={run.id} data-run-id={run.id} className={run.id === shown?.id ? "current" : ""}>
                    <td>{when(run.created_at)}</td>
                    <td>{run.preset}</td>
                    <td>{T.status[run.status]}</td>
                    <td>{took === null ? ADMIN_TEXT.none : duration(took)}</td>
                    <td>
                      {run.version_id ? (
                        <VersionLink id={run.version_id} onOpen={onOpenVersion} />
                      ) : run.error ? (
                        runFailure(run.error.code).title
                      ) : (
                        ADMIN_TEXT.none
                      )}
                    </td>
                    <td>
                      <button type="button" className="link" onClick={() => setSelected(run.id)}>
                        {T.open}
                      </button>
                    </td>
                  </tr>
                );
              })
            : null
        }
        empty={T.noRuns}
      />
    </section>
  );
}
