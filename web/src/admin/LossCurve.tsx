// The loss so far as a small inline SVG line: no chart library in the bundle for one polyline.
import { ADMIN_TEXT } from "./text";

const W = 240;
const H = 64;
const PAD = 3;

/** The curve's points in the SVG's own coordinates (step to x, loss to y, lower loss lower down). */
export function curvePoints(curve: ReadonlyArray<ReadonlyArray<number>>): string {
  if (curve.length === 0) return "";
  const steps = curve.map(([s]) => s);
  const losses = curve.map(([, l]) => l);
  const [s0, s1] = [Math.min(...steps), Math.max(...steps)];
  const [l0, l1] = [Math.min(...losses), Math.max(...losses)];
  const x = (s: number) => PAD + (s1 === s0 ? (W - 2 * PAD) / 2 : ((s - s0) / (s1 - s0)) * (W - 2 * PAD));
  const y = (l: number) => PAD + (l1 === l0 ? (H - 2 * PAD) / 2 : ((l1 - l) / (l1 - l0)) * (H - 2 * PAD));
  return curve.map(([s, l]) => `${x(s).toFixed(1)},${y(l).toFixed(1)}`).join(" ");
}

export function LossCurve({ curve }: { curve: ReadonlyArray<ReadonlyArray<number>> }) {
  const last = curve.length ? curve[curve.length - 1][1] : null;
  return (
    <svg className="losscurve" viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={ADMIN_TEXT.runs.lossCurve(curve.length, last)}>
      <rect x="0" y="0" width={W} height={H} rx="6" className="frame" />
      {curve.length ? <polyline points={curvePoints(curve)} fill="none" className="line" /> : null}
    </svg>
  );
}
