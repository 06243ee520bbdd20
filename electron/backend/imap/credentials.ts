// Where account passwords live: never in the database. Each host supplies a
// store (the desktop app encrypts with the OS keychain; the web host and the
// command line keep them in memory for the session).

export interface Credentials {
  get(account: string): Promise<string | null>;
  set(account: string, password: string): Promise<void>;
  delete(account: string): Promise<void>;
}

/** Passwords held only for this process; `fallback` (SPAMLAB_IMAP_PASSWORD) answers for any account without one. */
export function memoryCredentials(fallback: string | null = null): Credentials {
  const passwords = new Map<string, string>();
  return {
    get: async (account) => passwords.get(account) ?? fallback,
    set: async (account, password) => {
      passwords.set(account, password);
    },
    delete: async (account) => {
      passwords.delete(account);
    },
  };
}
