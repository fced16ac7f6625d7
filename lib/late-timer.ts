/** A timer that fires more than this past its due time means this process was stopped or starved ... */
export const LATE_TIMER_MS = 100;
/** ... and this long is given, after such a timer, to read answers that already arrived. */
export const LATE_READ_GRACE_MS = 200;

export interface Deadline {
  /** The awaited answer came: `expire` will not run. */
  cancel(): void;
}

/**
 * Runs `expire` once `ms` have passed, unless cancelled first; for timeouts that blame the other side.
 * Node runs overdue timers before it polls sockets, so after a stop (SIGSTOP, a suspended machine) or a
 * long blocking task a timer can fire while the answer it waits for already sits unread in a socket.
 * So a due timer first lets one poll of the event loop pass (setImmediate), and one that fired more than
 * LATE_TIMER_MS late waits LATE_READ_GRACE_MS more: an answer that arrived in time cancels it. A party
 * that really does not answer is still cut off after `ms` (plus the grace only when this process was late).
 */
export function startDeadline(ms: number, expire: () => void): Deadline {
  const dueAt = performance.now() + ms;
  let done = false;
  let immediate: NodeJS.Immediate | null = null;
  const fire = () => {
    if (done) return;
    done = true;
    expire();
  };
  let timer: NodeJS.Timeout | null = setTimeout(() => {
    timer = null;
    if (performance.now() - dueAt > LATE_TIMER_MS) timer = setTimeout(fire, LATE_READ_GRACE_MS);
    else immediate = setImmediate(fire);
  }, ms);
  return {
    cancel() {
      done = true;
      if (timer) clearTimeout(timer);
      if (immediate) clearImmediate(immediate);
    },
  };
}
