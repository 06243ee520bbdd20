// IMAP passwords in the desktop app: encrypted by the OS keychain through
// Electron's safeStorage, in a file beside the database, never in it. Where
// safeStorage cannot encrypt (no keychain), they are kept for the session only.
import { safeStorage } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { Credentials, memoryCredentials } from './backend/api';

export function safeStorageCredentials(dir: string): Credentials {
  // On Linux without a keyring Electron "encrypts" with a fixed key (basic_text): that is plain text on disk, so keep them in memory.
  const keyring = process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
  if (!safeStorage.isEncryptionAvailable() || !keyring) return memoryCredentials();
  const file = path.join(dir, 'imap-credentials.json');
  const read = (): Record<string, string> => {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  };
  const write = (all: Record<string, string>) => {
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(all), { mode: 0o600 });
    fs.renameSync(`${file}.tmp`, file);
  };
  return {
    async get(account) {
      const sealed = read()[account];
      return sealed === undefined ? null : safeStorage.decryptString(Buffer.from(sealed, 'base64'));
    },
    async set(account, password) {
      write({ ...read(), [account]: safeStorage.encryptString(password).toString('base64') });
    },
    async delete(account) {
      const all = read();
      delete all[account];
      write(all);
    },
  };
}
