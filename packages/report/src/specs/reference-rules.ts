import { REFERENCE_COLOUR, shortNumber } from '../theme';
import type { RegimeMarkers } from '../sweep-point';

/** Legend labels of the reference marks, in legend order, with their dash patterns. */
export const REFERENCE_STYLES = [
  { label: '2/η', dash: [1, 0] },
  { label: 's_GF (flow)', dash: [8, 4] },
  { label: 'η_c = 2/s_GF', dash: [4, 3] },
  { label: 'observed break', dash: [1, 3] },
] as const;

/** The strokeDash encoding of reference marks, with legend symbols long enough to show the dash pattern. */
export function referenceDashEncoding(dashScale: Record<string, unknown>): Record<string, unknown> {
  return {
    field: 'reference',
    type: 'nominal',
    scale: dashScale,
    title: 'reference',
    legend: { symbolType: 'stroke', symbolSize: 500, symbolStrokeWidth: 1.5 },
  };
}

/** A strokeDash scale over the reference labels that occur, so the legend lists only what is drawn. */
export function referenceDashScale(labels: readonly string[]): Record<string, unknown> {
  const used = REFERENCE_STYLES.filter((s) => labels.includes(s.label));
  return { domain: used.map((s) => s.label), range: used.map((s) => s.dash) };
}

/** One vertical reference rule: where, which legend entry, its label and the label's pixel offset. */
export interface EtaRuleRow {
  readonly eta: number;
  readonly reference: string;
  readonly text: string;
  readonly labelY: number;
}

/** The vertical-rule rows for η_c and the observed break point (those that are known). */
export function etaRuleRows(markers: RegimeMarkers): EtaRuleRow[] {
  const rows: EtaRuleRow[] = [];
  if (markers.etaC != null && Number.isFinite(markers.etaC) && markers.etaC > 0) {
    rows.push({
      eta: markers.etaC,
      reference: REFERENCE_STYLES[2].label,
      text: `η_c = ${shortNumber(markers.etaC)}`,
      labelY: 0,
    });
  }
  if (markers.breakEta != null && Number.isFinite(markers.breakEta) && markers.breakEta > 0) {
    rows.push({
      eta: markers.breakEta,
      reference: REFERENCE_STYLES[3].label,
      text: `break ${shortNumber(markers.breakEta)}`,
      labelY: rows.length * 13,
    });
  }
  return rows;
}

/**
 * Layers drawing vertical rules at η_c and the observed break point with a strokeDash legend, plus a small
 * label at the top of each rule. Empty when neither is known.
 */
export function etaRuleLayers(
  markers: RegimeMarkers,
  dashScale: Record<string, unknown>,
): Record<string, unknown>[] {
  const rows = etaRuleRows(markers);
  if (rows.length === 0) return [];
  const x = { field: 'eta', type: 'quantitative' };
  return [
    {
      data: { values: rows },
      mark: { type: 'rule', color: REFERENCE_COLOUR, strokeWidth: 1.5 },
      encoding: { x, strokeDash: referenceDashEncoding(dashScale) },
    },
    {
      data: { values: rows },
      mark: {
        type: 'text',
        color: REFERENCE_COLOUR,
        align: 'left',
        baseline: 'top',
        dx: 3,
        dy: 2,
        fontSize: 10,
      },
      encoding: { x, y: { field: 'labelY', type: 'quantitative', scale: null }, text: { field: 'text' } },
    },
  ];
}
