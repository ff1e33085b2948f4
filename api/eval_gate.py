"""The evaluation gate: a version may become the chat's default only when it scores at least as well
as the active model on the same held-out rows (bits per byte, lower is better).

Why the same rows: bits per byte are comparable across tokenizers, not across held-out sets. The
active model's score comes from its own version's evaluation when that used the same set, else from
the worker's cached score of the active model on it (models.EvalScore). A version never evaluated,
or with no comparable score of the active model, is refused too: the admin may override with a
reason, which the audit keeps.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from contract.errors import ErrorCode, HadraError, Param
from models import EvalScore, ModelVersion


@dataclass(frozen=True)
class GateFigures:
    heldout_set: str | None
    version_bpb: float | None
    active_model: str
    active_bpb: float | None


def evaluation(version: ModelVersion | None) -> tuple[str | None, float | None]:
    """The held-out set and bits per byte of a version's evaluation (None, None: never evaluated)."""
    found: Any = version.metrics.get("eval") if version else None
    if not isinstance(found, dict):
        return None, None
    heldout, bpb = found.get("heldout_set"), found.get("bpb")
    if not isinstance(heldout, str) or not isinstance(bpb, int | float) or isinstance(bpb, bool):
        return None, None
    return heldout, float(bpb)


async def figures(version: ModelVersion, active_model: str, active_version: ModelVersion | None) -> GateFigures:
    heldout, bpb = evaluation(version)
    active_bpb = None
    if heldout is not None:
        own_set, own_bpb = evaluation(active_version)
        if own_set == heldout:
            active_bpb = own_bpb
        elif (score := await EvalScore.of(heldout, active_model)) is not None:
            active_bpb = score.bpb
    return GateFigures(heldout, bpb, active_model, active_bpb)


def refusal(gate: GateFigures) -> HadraError | None:
    """Why the gate refuses (None: it lets the version through)."""
    params: dict[str, Param] = {
        key: value
        for key, value in (
            ("version_bpb", gate.version_bpb),
            ("active_bpb", gate.active_bpb),
            ("heldout_set", gate.heldout_set),
            ("active_model", gate.active_model),
        )
        if value is not None
    }
    override = 'Send {"override_reason": "…"} to activate it anyway; the reason is recorded.'
    if gate.heldout_set is None or gate.version_bpb is None:
        message = "This version was never evaluated on a held-out set, so it cannot be compared with the active model."
    elif gate.active_bpb is None:
        message = (
            f"No score of the active model `{gate.active_model}` on this version's held-out set "
            f"({gate.heldout_set[:12]}…) is known, so the two cannot be compared."
        )
    elif gate.version_bpb > gate.active_bpb:
        message = (
            f"This version scores {gate.version_bpb:.4f} bits per byte on the held-out set, worse than the "
            f"active model's {gate.active_bpb:.4f}."
        )
    else:
        return None
    return HadraError(ErrorCode.EVAL_GATE, f"{message} {override}", params=params)


def win_rate(picks: dict[str, int]) -> float | None:
    """The share of the admins' picks won by the version, a tie counting half (None: no picks yet)."""
    total = sum(picks.get(k, 0) for k in ("version", "active", "tie"))
    return None if total == 0 else (picks.get("version", 0) + picks.get("tie", 0) / 2) / total
