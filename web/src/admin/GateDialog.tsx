// The gate refused an activation (409 eval_gate): its figures, and a reason to activate anyway.
// The retry sends the reason; the server records it in the audit log.
import { useState } from "react";
import { errorText, type ErrorParams } from "../errorText";
import { ADMIN_TEXT, adminWords } from "./text";

const T = adminWords((t) => t.gate);

function figure(value: unknown, missing: string): string {
  return typeof value === "number" ? value.toFixed(4) : missing;
}

export function GateDialog({
  name,
  params,
  onConfirm,
  onClose,
}: {
  name: string;
  params: ErrorParams;
  onConfirm(reason: string): void;
  onClose(): void;
}) {
  const [reason, setReason] = useState("");
  const refusal = errorText("eval_gate", undefined, params);
  return (
    <div className="overlay" onClick={onClose}>
      <form
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="gate-title"
        onClick={(e) => e.stopPropagation()}
        onSubmit={(e) => {
          e.preventDefault();
          if (reason.trim()) onConfirm(reason.trim());
        }}
      >
        <h3 id="gate-title">{refusal.title}</h3>
        <p dir="auto">{name}</p>
        <dl className="sidebyside">
          <div>
            <dt>{T.versionBpb}</dt>
            <dd data-figure="version">{figure(params.version_bpb, T.neverEvaluated)}</dd>
          </div>
          <div>
            <dt>{T.activeBpb}</dt>
            <dd data-figure="active">{figure(params.active_bpb, T.noScore)}</dd>
          </div>
        </dl>
        <p className="muted">{refusal.advice}</p>
        <label>
          {T.reason}
          <textarea dir="auto" rows={3} value={reason} placeholder={T.placeholder} autoFocus onChange={(e) => setReason(e.target.value)} />
        </label>
        <div className="editactions">
          <button type="button" onClick={onClose}>
            {ADMIN_TEXT.cancel}
          </button>
          <button type="submit" className="primary" disabled={!reason.trim()}>
            {T.confirm}
          </button>
        </div>
      </form>
    </div>
  );
}
