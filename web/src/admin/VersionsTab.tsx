// Model versions: the table, the gate's figures side by side with a few held-out prompts answered
// by both models (the admin picks the better; picks become a win rate), and the actions: activate
// (a refusal by the gate opens the override dialog), roll back, retire.
import { useState } from "react";
import { api, ApiError } from "../api";
import type { ActivationOut, ModelVersionOut, PickIn } from "../contract";
import { errorText, type ErrorParams } from "../errorText";
import { modelLabel } from "../modelNames";
import { adminApi } from "./adminApi";
import { AdminTable } from "./AdminTable";
import { Failure } from "./Failure";
import { bpbText, gateFigures, samplesOf, sizeOf, systemPromptOf, type EvalSample } from "./gate";
import { GateDialog } from "./GateDialog";
import { size, when } from "./format";
import { ADMIN_TEXT, adminWords } from "./text";
import { useLoad } from "./useLoad";
import type { SampleAnswer, SampleAnswers } from "./useSampleAnswers";

const T = adminWords((t) => t.versions);

/** A base named by a folder (the tiny test base, a Hugging Face download) by its last part. */
function baseLabel(base: string): string {
  return base.includes("/") ? (base.replace(/\/+$/, "").split("/").pop() ?? base) : modelLabel(base);
}

function Answer({ answer }: { answer: SampleAnswer | undefined }) {
  if (!answer) return null;
  if (answer.error) {
    // The title alone: the chat's advice (⚙, ↻ Regenerate) names buttons this page does not have;
    // asking again is the button under the answers.
    const { title } = errorText(answer.error.code, undefined, answer.error.params);
    return (
      <div className="msgerror" role="alert" data-error-code={answer.error.code}>
        <strong>{title}.</strong>
      </div>
    );
  }
  return (
    <div className="plain" dir="auto" aria-busy={!answer.done}>
      {answer.text || (answer.done ? "" : T.answering)}
    </div>
  );
}

function Sample({
  version,
  sample,
  index,
  activeModel,
  answers,
  onPick,
}: {
  version: ModelVersionOut;
  sample: EvalSample;
  index: number;
  activeModel: string;
  answers: SampleAnswers;
  onPick(winner: PickIn["winner"]): Promise<void>;
}) {
  const [picked, setPicked] = useState(false);
  const key = `${version.id}:${index}`;
  const mine = answers.answers[`${key}:version`];
  const theirs = answers.answers[`${key}:active`];
  const ask = () => {
    const system = systemPromptOf(sample);
    answers.ask(`${key}:version`, version.ollama_model, sample.prompt, system);
    answers.ask(`${key}:active`, activeModel, sample.prompt, system);
  };
  const bothDone = mine?.done && theirs?.done && !mine.error && !theirs.error;
  return (
    <li data-sample={index}>
      <div className="label">{T.prompt}</div>
      <div className="plain prompt" dir="auto">
        {sample.prompt}
      </div>
      <details className="detail">
        <summary>{T.reference}</summary>
        <div className="plain" dir="auto">
          {sample.reference}
        </div>
      </details>
      {mine || theirs ? (
        <div className="pair">
          <div data-side="version">
            <div className="label">{T.thisVersion}</div>
            <Answer answer={mine} />
          </div>
          <div data-side="active">
            <div className="label">{T.activeModel}</div>
            <Answer answer={theirs} />
          </div>
        </div>
      ) : null}
      {!mine || (mine.done && theirs?.done && !bothDone) ? (
        <div className="editactions">
          <button type="button" onClick={ask}>
            {T.answerBoth}
          </button>
        </div>
      ) : null}
      {bothDone ? (
        picked ? (
          <p className="muted">{T.picked}</p>
        ) : (
          <div className="editactions">
            {(["version", "tie", "active"] as const).map((winner) => (
              <button key={winner} type="button" onClick={() => void onPick(winner).then(() => setPicked(true))}>
                {T.pick[winner]}
              </button>
            ))}
          </div>
        )
      ) : null}
    </li>
  );
}

function Comparison({
  version,
  activeModel,
  answers,
  onPicked,
}: {
  version: ModelVersionOut;
  activeModel: string;
  answers: SampleAnswers;
  onPicked(v: ModelVersionOut): void;
}) {
  const [error, setError] = useState<unknown>(null);
  const f = gateFigures(version);
  const samples = samplesOf(version);
  const verdict =
    version.status === "active"
      ? T.isActive
      : f.versionBpb === null
        ? T.notEvaluated
        : f.activeBpb === null
          ? T.noActiveScore
          : f.versionBpb <= f.activeBpb
            ? T.better
            : T.worse;
  const pick = (winner: PickIn["winner"]) => {
    setError(null);
    return adminApi
      .pick(version.id, winner)
      .then(onPicked)
      .catch((e: unknown) => {
        setError(e);
        throw e;
      });
  };
  return (
    <div className="comparison" aria-label={T.gateHeading(version.name)}>
      <h3 dir="auto">{T.gateHeading(version.name)}</h3>
      <dl className="sidebyside gatefigures">
        <div>
          <dt>{T.thisVersion}</dt>
          <dd data-figure="version">{bpbText(f.versionBpb) ?? ADMIN_TEXT.none}</dd>
        </div>
        <div>
          <dt>{T.activeModelNamed(modelLabel(activeModel))}</dt>
          <dd data-figure="active">{bpbText(f.activeBpb) ?? ADMIN_TEXT.none}</dd>
        </div>
        <div>
          <dt>{T.base}</dt>
          <dd data-figure="base">{bpbText(f.baseBpb) ?? ADMIN_TEXT.none}</dd>
        </div>
        <div>
          <dt>{T.winRateLabel}</dt>
          <dd data-figure="win-rate">{f.winRate === null ? ADMIN_TEXT.none : `${Math.round(f.winRate * 100)}%`}</dd>
        </div>
      </dl>
      {f.heldoutSet ? <p className="muted">{T.heldout(f.heldoutRows, f.heldoutSet)}</p> : null}
      <p>{verdict}</p>
      <p className="muted">{f.picks ? T.picks(f.picks) : T.noPicks}</p>
      <h4>{T.samplesHeading}</h4>
      {samples.length === 0 ? <p className="empty">{T.noSamples}</p> : null}
      <ol className="samples">
        {samples.map((sample, i) => (
          <Sample
            key={i}
            version={version}
            sample={sample}
            index={i}
            activeModel={activeModel}
            answers={answers}
            onPick={(winner) => pick(winner).then(() => undefined)}
          />
        ))}
      </ol>
      <Failure error={error} />
    </div>
  );
}

export function VersionsTab({
  answers,
  modelsChanged,
  focus = null,
}: {
  answers: SampleAnswers;
  modelsChanged: number;
  /** A version to show compared from the start. */
  focus?: string | null;
}) {
  const list = useLoad(adminApi.versions, modelsChanged);
  const models = useLoad(api.models, modelsChanged);
  const [selected, setSelected] = useState<string | null>(focus);
  const [refused, setRefused] = useState<{ version: ModelVersionOut; params: ErrorParams } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);

  const versions = list.data?.versions ?? [];
  const active = versions.find((v) => v.status === "active") ?? null;
  const shown = versions.find((v) => v.id === selected) ?? null;

  const after = (say: string) => {
    setDone(say);
    list.reload();
    models.reload();
  };
  const failed = (e: unknown) => {
    setDone(null);
    setError(e);
  };
  const activated = (reply: ActivationOut) => after(T.activated(modelLabel(reply.default_model)));
  const activate = (v: ModelVersionOut, reason?: string) => {
    setError(null);
    adminApi
      .activate(v.id, reason)
      .then((reply) => {
        setRefused(null);
        activated(reply);
      })
      .catch((e: unknown) => {
        if (e instanceof ApiError && (e.code as string) === "eval_gate") {
          setRefused({ version: v, params: e.params });
        } else {
          setRefused(null);
          failed(e);
        }
      });
  };
  const rollback = (v: ModelVersionOut) => {
    if (!window.confirm(T.confirmRollback(v.name))) return;
    setError(null);
    adminApi
      .rollback(v.id)
      .then((reply) => after(T.rolledBack(modelLabel(reply.default_model))))
      .catch(failed);
  };
  const retire = (v: ModelVersionOut) => {
    if (!window.confirm(T.confirmRetire(v.name))) return;
    setError(null);
    adminApi
      .retire(v.id)
      .then(() => after(T.retired(v.name)))
      .catch(failed);
  };
  const picked = (v: ModelVersionOut) =>
    list.setData((current) => current && { versions: current.versions.map((x) => (x.id === v.id ? v : x)) });

  return (
    <section aria-label={ADMIN_TEXT.tabs.versions}>
      <h2>{T.heading}</h2>
      {!active && models.data ? <p className="muted">{T.defaultActive(modelLabel(models.data.default_model))}</p> : null}
      <Failure error={list.error} onRetry={list.reload} />
      {done ? (
        <p className="done" role="status">
          {done}
        </p>
      ) : null}
      <Failure error={error} />
      <AdminTable
        headings={[T.columns.name, T.columns.base, T.columns.created, T.columns.metrics, T.columns.size, T.columns.status, ""]}
        rows={
          list.data
            ? versions.map((v) => {
                const f = gateFigures(v);
                return (
                  <tr key={v.id} data-version-id={v.id} data-status={v.status} className={v.id === selected ? "current" : ""}>
                    <td dir="auto">{v.name}</td>
                    <td title={v.base_model}>{baseLabel(v.base_model)}</td>
                    <td>{when(v.created_at)}</td>
                    <td>{bpbText(f.versionBpb) ?? ADMIN_TEXT.none}</td>
                    <td>{size(sizeOf(v))}</td>
                    <td>
                      {T.status[v.status] ?? v.status}
                      {v.missing_on?.length ? (
                        <div className="muted" data-missing-on={v.missing_on.join(",")} title={T.missingOnHint}>
                          {T.missingOn} <bdi>{v.missing_on.join(", ")}</bdi>
                        </div>
                      ) : null}
                    </td>
                    <td>
                      <div className="actions">
                        <button type="button" className="link" onClick={() => setSelected(v.id === selected ? null : v.id)}>
                          {T.details}
                        </button>
                        {v.status === "active" ? (
                          <button type="button" onClick={() => rollback(v)}>
                            {T.rollback}
                          </button>
                        ) : v.status !== "retired" ? (
                          <>
                            <button type="button" className="primary" onClick={() => activate(v)}>
                              {T.activate}
                            </button>
                            <button type="button" onClick={() => retire(v)}>
                              {T.retire}
                            </button>
                          </>
                        ) : null}
                      </div>
                    </td>
                  </tr>
                );
              })
            : null
        }
        empty={T.none}
      />
      {shown ? (
        <Comparison
          version={shown}
          activeModel={shown.gate?.active_model ?? models.data?.default_model ?? ""}
          answers={answers}
          onPicked={picked}
        />
      ) : null}
      {refused ? (
        <GateDialog
          name={refused.version.name}
          params={refused.params}
          onConfirm={(reason) => activate(refused.version, reason)}
          onClose={() => setRefused(null)}
        />
      ) : null}
    </section>
  );
}
