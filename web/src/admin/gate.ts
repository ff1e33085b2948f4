// The evaluation gate's figures as the page shows them: this version's bits per byte next to the
// active model's on the same held-out set (the server computes them: `gate`), the untrained base's
// from the version's own eval, and the admins' picks as a win rate. The server decides (409
// eval_gate); this only reads what it sent.
import type { ModelVersionOut } from "../contract";

/** A held-out prompt the worker kept for the admin to have answered by both models. */
export interface EvalSample {
  prompt: string;
  messages: Array<{ role: string; content: string }>;
  reference: string;
}

interface EvalMetrics {
  heldout_set: string;
  heldout_rows: number;
  bpb: number;
  base_bpb: number;
  samples: EvalSample[];
}

export interface GateFigures {
  heldoutSet: string | null;
  heldoutRows: number;
  versionBpb: number | null;
  activeBpb: number | null;
  baseBpb: number | null;
  winRate: number | null;
  picks: number;
  passes: boolean | null;
}

function evalOf(version: ModelVersionOut): Partial<EvalMetrics> {
  const e = version.metrics?.eval;
  return e && typeof e === "object" ? (e as Partial<EvalMetrics>) : {};
}

const num = (v: unknown): number | null => (typeof v === "number" ? v : null);

export function gateFigures(version: ModelVersionOut): GateFigures {
  const own = evalOf(version);
  const gate = version.gate;
  const picks = version.picks.version + version.picks.active + version.picks.tie;
  return {
    heldoutSet: gate?.heldout_set ?? own.heldout_set ?? null,
    heldoutRows: num(own.heldout_rows) ?? 0,
    versionBpb: gate?.version_bpb ?? num(own.bpb),
    activeBpb: gate?.active_bpb ?? null,
    baseBpb: num(own.base_bpb),
    winRate: gate?.win_rate ?? null,
    picks,
    passes: gate ? gate.passes : null,
  };
}

export function samplesOf(version: ModelVersionOut): EvalSample[] {
  const samples = evalOf(version).samples;
  return Array.isArray(samples) ? samples.filter((s) => s && typeof s.prompt === "string") : [];
}

/** The sample's own system prompt, when its conversation had one. */
export function systemPromptOf(sample: EvalSample): string {
  const first = sample.messages?.[0];
  return first?.role === "system" ? first.content : "";
}

export function bpbText(value: number | null): string | null {
  return value === null ? null : value.toFixed(4);
}

/** The size of the version's model file, when the register step recorded it. */
export function sizeOf(version: ModelVersionOut): number | null {
  return num(version.metrics?.gguf_bytes);
}
