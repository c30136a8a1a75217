import type { FileTask, TaskProgress } from '@biaslab/lab';
import { formatNumber } from '@biaslab/results';
import type { FlowSummary, SummaryRow } from '@biaslab/results';
import type { CliIo } from './io';

interface Active {
  readonly label: string;
  progress?: TaskProgress;
}

/** Redraws of the status line are at most this often (milliseconds). */
const REDRAW_MS = 100;

/**
 * Progress of an experiment on stderr. On a terminal: one status line redrawn in place — runs done/total,
 * ETA, and each running task's step, loss and sharpness — with a permanent line per finished run above it.
 * Elsewhere: only the permanent lines (`[done/total] η = …: converged after N steps (s)`). `quiet`: nothing.
 */
export class ProgressDisplay {
  private total = 0;
  private done = 0;
  private doneHere = 0;
  private startedAt: number | undefined;
  private readonly active = new Map<string, Active>();
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly io: CliIo,
    private readonly quiet: boolean,
    private readonly labels: readonly string[],
  ) {}

  private get tty(): boolean {
    return this.io.isTTY === true && !this.quiet;
  }

  /** A permanent line. */
  line(text: string): void {
    if (this.quiet) return;
    if (this.tty && this.drawn) this.io.err('\r\x1b[K');
    this.io.err(`${text}\n`);
    this.drawn = false;
    if (this.tty) this.draw(true);
  }

  plan(total: number): void {
    this.total = total;
  }

  taskStart(task: FileTask): void {
    this.startedAt ??= performance.now();
    const where = this.pointLabel(task.point);
    const label = task.kind === 'flow' ? `flow${where}` : `η=${formatNumber(task.eta)}${where}`;
    this.active.set(task.id, { label });
    if (this.tty) this.draw(false);
  }

  progress(task: FileTask, progress: TaskProgress): void {
    const entry = this.active.get(task.id);
    if (!entry) return;
    entry.progress = progress;
    if (this.tty) this.draw(false);
  }

  flowEnd(flow: FlowSummary, resumed: boolean, points: readonly number[]): void {
    if (flow.flow) this.active.delete(flow.flow);
    const where =
      this.labels.length > 1
        ? ` (${points.length === 1 ? this.labels[points[0]] : `${points.length} points`})`
        : '';
    this.line(
      `gradient flow${where}: ${flow.status}, s_GF = ${formatNumber(flow.sGF)}, η_c = ${formatNumber(flow.etaC)}, ${flow.steps} RK4 steps` +
        (resumed ? ' (from a previous run)' : ` (${formatNumber(flow.seconds, 2)} s)`),
    );
  }

  runEnd(row: SummaryRow, resumed: boolean): void {
    if (row.run) this.active.delete(row.run);
    this.done++;
    if (!resumed) this.doneHere++;
    this.line(
      `[${this.done}/${Math.max(this.total, this.done)}] η = ${formatNumber(row.eta)}${this.pointLabel(row.point ?? 0)}: ` +
        `${row.status} after ${row.steps} steps` +
        (resumed ? ' (from a previous run)' : ` (${formatNumber(row.seconds, 2)} s)`),
    );
  }

  /** The experiment callbacks (`runExperiment`'s `on…` options) that feed this display. */
  events() {
    return {
      onPlan: (total: number) => this.plan(total),
      onTaskStart: (task: FileTask) => this.taskStart(task),
      onProgress: (task: FileTask, progress: TaskProgress) => this.progress(task, progress),
      onFlowEnd: (flow: FlowSummary, resumed: boolean, points: readonly number[]) =>
        this.flowEnd(flow, resumed, points),
      onRunEnd: (row: SummaryRow, resumed: boolean) => this.runEnd(row, resumed),
    };
  }

  /** Clears the status line. */
  finish(): void {
    if (this.tty && this.drawn) this.io.err('\r\x1b[K');
    this.drawn = false;
  }

  private pointLabel(point: number): string {
    return this.labels.length > 1 ? ` (${this.labels[point]})` : '';
  }

  private draw(force: boolean): void {
    const now = performance.now();
    if (!force && now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    const parts = [`runs ${this.done}/${Math.max(this.total, this.done)}`];
    const eta = this.eta(now);
    if (eta !== undefined) parts.push(`ETA ${eta}`);
    for (const { label, progress } of this.active.values()) {
      let text = label;
      if (progress) {
        text += ` step ${progress.step} loss ${formatNumber(progress.loss, 3)}`;
        if (progress.sharpness !== undefined) text += ` S ${formatNumber(progress.sharpness, 4)}`;
      }
      parts.push(text);
    }
    const width = Math.max(20, (this.io.columns ?? 100) - 1);
    const text = parts.join(' │ ');
    this.io.err(`\r\x1b[K${[...text].length > width ? `${[...text].slice(0, width - 1).join('')}…` : text}`);
    this.drawn = true;
  }

  private eta(now: number): string | undefined {
    if (this.doneHere === 0 || this.startedAt === undefined) return undefined;
    const perRun = (now - this.startedAt) / 1000 / this.doneHere;
    const seconds = Math.max(0, perRun * (Math.max(this.total, this.done) - this.done));
    if (seconds < 90) return `${Math.round(seconds)} s`;
    if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
    return `${(seconds / 3600).toFixed(1)} h`;
  }
}
