import type { Task, TaskCallbacks, TaskExecutor } from './tasks';

/**
 * Several executors behind one: a task goes to the first member with a free slot. The lab uses it to let
 * the parent process run tasks itself beside its worker processes (`workers` = N forks N − 1 children).
 */
export class CompositeExecutor implements TaskExecutor {
  private readonly busy: number[];
  private readonly members: TaskExecutor[];

  constructor(members: readonly TaskExecutor[]) {
    this.members = [...members];
    this.busy = members.map(() => 0);
  }

  /** Adds a member (a worker pool that finished starting while the first members already ran tasks). */
  add(member: TaskExecutor): void {
    this.members.push(member);
    this.busy.push(0);
  }

  get slots(): number {
    return this.members.reduce((s, m) => s + m.slots, 0);
  }

  run(task: Task, callbacks: TaskCallbacks): Promise<void> {
    const i = this.members.findIndex((m, j) => this.busy[j] < m.slots);
    const member = i < 0 ? 0 : i;
    this.busy[member]++;
    return this.members[member].run(task, callbacks).finally(() => this.busy[member]--);
  }

  interrupt(): void {
    for (const m of this.members) m.interrupt();
  }

  async close(): Promise<void> {
    await Promise.all(this.members.map((m) => m.close()));
  }
}
