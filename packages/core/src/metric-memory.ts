/**
 * A typed key of a run's metric memory: the value stored under `name` has type `T`. The metric that writes
 * a value exports its key, so a metric that reads it (`stability` reading what `sharpness` left) gets the
 * type with it. One name, one type: name keys after the package and metric (`@biaslab/metrics/sharpness/last`).
 */
export interface MemoryKey<T> {
  readonly name: string;
  /** Carries `T` for the type checker; never set. */
  readonly valueType?: (value: T) => T;
}

/** Per-run scratch space shared by the metrics of one run, surviving between evaluations. */
export interface MetricMemory {
  get<T>(key: MemoryKey<T>): T | undefined;
  set<T>(key: MemoryKey<T>, value: T): void;
}

/** The key `name` for values of type `T`. */
export function memoryKey<T>(name: string): MemoryKey<T> {
  return { name };
}

/** An empty metric memory (the lab makes one per run; tests make their own). */
export function createMetricMemory(): MetricMemory {
  const values = new Map<string, unknown>();
  return {
    get: <T>(key: MemoryKey<T>) => values.get(key.name) as T | undefined,
    set: <T>(key: MemoryKey<T>, value: T) => {
      values.set(key.name, value);
    },
  };
}
