// Reading a Chromium trace: what the page's main thread did (shared by the responsiveness checks).

/**
 * Main-thread tasks of the page's renderer from a Chromium trace, with wall time and thread
 * CPU time (ms). CPU time is what the page's own code costs; wall time also counts the time
 * the OS gave the thread's core to other processes, which on a shared machine says more about
 * the machine than about the page.
 */
export function mainThreadTasks(trace: Buffer): { wall: number; cpu: number }[] {
  const { traceEvents } = JSON.parse(trace.toString("utf8")) as {
    traceEvents: {
      name: string;
      ph: string;
      pid: number;
      tid: number;
      dur?: number;
      tdur?: number;
      args?: { name?: string };
    }[];
  };
  const main = traceEvents.filter((e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain");
  const isMain = (e: { pid: number; tid: number }) => main.some((m) => m.pid === e.pid && m.tid === e.tid);
  return traceEvents
    .filter((e) => e.name === "RunTask" && e.ph === "X" && isMain(e))
    .map((e) => ({ wall: (e.dur ?? 0) / 1000, cpu: (e.tdur ?? 0) / 1000 }));
}
