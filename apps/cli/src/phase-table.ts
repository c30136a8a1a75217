import { formatNumber } from '@biaslab/results';
import type { FlowSummary, SummaryRow } from '@biaslab/results';
import type { PointAnalysis } from '@biaslab/reproductions';
import { table } from './text-table';

/**
 * The phase table of a sweep: one line per η with status, steps, ‖β‖₁ (or ‖θ‖₁), S, 2/η, S·η/2 and test
 * error, with a rule where η crosses η_c. Numbers of diverged runs are not shown (they are in the files).
 */
export function phaseTable(rows: readonly SummaryRow[], flow?: FlowSummary): string {
  const hasBeta = rows.some((r) => r.betaL1 !== undefined);
  const header = ['η', 'status', 'steps', hasBeta ? '‖β‖₁' : '‖θ‖₁', 'S', '2/η', 'S·η/2', 'test err', 'loss'];
  const sorted = [...rows].sort((a, b) => a.eta - b.eta);
  const body: string[][] = [];
  for (const r of sorted) {
    const show = r.status !== 'diverged';
    body.push([
      formatNumber(r.eta),
      r.status,
      String(r.steps),
      show ? formatNumber(hasBeta ? r.betaL1 : r.thetaL1) : '—',
      show ? formatNumber(r.sharpness) : '—',
      formatNumber(r.twoOverEta),
      show ? formatNumber(r.sharpnessEtaOver2, 3) : '—',
      show ? formatNumber(r.testError) : '—',
      formatNumber(r.loss, 3),
    ]);
  }
  const lines = table([header, ...body], [true, false, true, true, true, true, true, true, true]).split('\n');
  const etaC = flow?.etaC ?? null;
  if (etaC !== null) {
    const at = sorted.findIndex((r) => r.eta > etaC);
    const width = Math.max(...lines.map((l) => [...l].length));
    const label = `── η_c = 2/s_GF = ${formatNumber(etaC)} `;
    const rule = label + '─'.repeat(Math.max(0, width - [...label].length));
    lines.splice(at < 0 ? lines.length : at + 1, 0, rule);
  }
  return lines.join('\n');
}

/** The gradient-flow reference in words. */
export function flowLines(flow: FlowSummary): string {
  const tEps = flow.tEps === null ? `not reached (${flow.reason})` : formatNumber(flow.tEps);
  return (
    `gradient-flow reference (RK4, ${flow.status}): s_GF = max S along the flow = ${formatNumber(flow.sGF)}, ` +
    `t_ε = ${tEps} (ε = ${formatNumber(flow.epsilon)}), η_c = 2/s_GF = ${formatNumber(flow.etaC)}`
  );
}

/** Predicted η_c beside the observed break point and the divergence edge, in words. */
export function analysisLine(analysis: PointAnalysis): string {
  const parts: string[] = [];
  parts.push(`predicted η_c = ${analysis.etaC === null ? '— (no flow)' : formatNumber(analysis.etaC)}`);
  if (analysis.breakEta === null) {
    parts.push('observed break point: none among converged runs');
  } else {
    parts.push(
      `observed break point η = ${formatNumber(analysis.breakEta)}` +
        (analysis.lastAligned !== null
          ? ` (last flow-aligned η = ${formatNumber(analysis.lastAligned)})`
          : '') +
        (analysis.ratio !== null ? `, ${formatNumber(analysis.ratio, 3)} × η_c` : ''),
    );
  }
  parts.push(
    analysis.edge
      ? `divergence edge between η = ${formatNumber(analysis.edge.below)} and ${formatNumber(analysis.edge.above)}`
      : 'no divergence edge in the grid',
  );
  const { converged, capped, diverged } = analysis.counts;
  parts.push(`${converged} converged, ${capped} capped, ${diverged} diverged`);
  return parts.join('; ');
}

/** The rule behind the observed break point, in words. */
export function breakPointRuleLine(rule: { stability: number; drop: number }): string {
  return (
    `break point: the smallest converged η whose final S has S·η/2 > ${formatNumber(rule.stability)} and ` +
    `S < (1 − ${formatNumber(rule.drop)})·S_flow (the flow's final S)`
  );
}

/** Phase tables of every grid point, each with its flow line and analysis (no header for a single point). */
export function pointSections(
  points: readonly {
    index: number;
    label: string;
    seed: number;
    rows: readonly SummaryRow[];
    flow?: FlowSummary;
    analysis: PointAnalysis;
  }[],
): string[] {
  const lines: string[] = [];
  for (const p of points) {
    if (points.length > 1) lines.push(`── grid point ${p.index}: ${p.label} ──`);
    lines.push(
      p.rows.length > 0 ? phaseTable(p.rows, p.flow) : '(no finished runs)',
      '',
      p.flow ? flowLines(p.flow) : 'gradient-flow reference: not run',
      analysisLine(p.analysis),
      '',
    );
  }
  return lines;
}
