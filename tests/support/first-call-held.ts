/**
 * Holds the first call of a stand-in (a mail send, an SNS Publish) until `release()`, so a test
 * can make a second delivery overlap the first one's send without sleeps: the stand-in awaits
 * `pass()` on every call, `firstStarted` resolves once the first call is held, later calls pass
 * at once. `pass()` answers the call's number (1 for the first).
 */
export function firstCallHeld() {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let started!: () => void;
  const firstStarted = new Promise<void>((resolve) => (started = resolve));
  let calls = 0;
  return {
    async pass(): Promise<number> {
      const n = ++calls;
      if (n === 1) {
        started();
        await gate;
      }
      return n;
    },
    firstStarted,
    release,
  };
}
