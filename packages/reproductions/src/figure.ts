import { writeFigure } from '@biaslab/report';
import type { FigureSpec, ReportFigure } from '@biaslab/report';

/** Renders `spec` to `figuresDir/name.svg|png` (640 × 400, PNG at 2×) and returns it as a report figure. */
export async function figure(
  figuresDir: string,
  name: string,
  caption: string,
  spec: FigureSpec,
): Promise<ReportFigure> {
  const written = await writeFigure(figuresDir, name, spec, { width: 640, height: 400, scale: 2 });
  return { name: written.name, caption, svg: written.svg };
}
