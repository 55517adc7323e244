import os from 'node:os';

/** The machine the figures were measured on: without it, timings cannot be compared. */
export interface MachineInfo {
  cpuModel: string;
  /** Logical cores, as `os.cpus()` lists them. */
  cores: number;
  /** Cores this process may actually use (cgroup/affinity aware), which can be fewer. */
  availableParallelism: number;
  totalMemoryBytes: number;
  node: string;
  platform: string;
  /** 1, 5 and 15-minute load averages when the run started: other work on the machine slows every figure. */
  loadAverage: number[];
}

/** Reads the machine description from `node:os`. */
export function describeMachine(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    availableParallelism: os.availableParallelism(),
    totalMemoryBytes: os.totalmem(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadAverage: os.loadavg(),
  };
}
