// How every soak ends: its problems listed and a failing exit status, or a quiet success.

/** Runs a soak's main; any problem it returns (or any error it throws) fails the process. */
export function runSoak(name: string, main: () => Promise<string[]>): void {
  main().then(
    (problems) => {
      if (problems.length === 0) return;
      console.error(`${name} soak FAILED (${problems.length} problems):\n  ${problems.slice(0, 40).join('\n  ')}`);
      process.exit(1);
    },
    (err: Error) => {
      console.error(err);
      process.exit(1);
    },
  );
}
