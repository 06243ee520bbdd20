// The layers of docs/architecture.md are ESLint rules (eslint.config.mjs):
// the tree obeys them, and each zone refuses a misplaced import.
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');
const eslint = new ESLint({ cwd: root });

/** The layering rules' messages for `code` as if it were the file at `file`. */
async function layeringErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-globals')
    .map((m) => `${m.line}: ${m.message}`);
}

describe('layering, enforced by the linter', () => {
  it('the source tree obeys every zone', async () => {
    const results = await eslint.lintFiles(['shared', 'renderer', 'electron']);
    const offenders = results.flatMap((r) =>
      r.messages
        .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-globals')
        .map((m) => `${path.relative(root, r.filePath)}:${m.line} ${m.message}`),
    );
    expect(results.length).toBeGreaterThan(50);
    expect(offenders).toEqual([]);
  });

  it('a host (the CLI, Electron main, the web host) enters the backend only through electron/backend/api', async () => {
    const misplaced = `import { openStore } from '../backend/store/open';\nimport { parseMail } from '../backend/ingest/parse';\nimport { scorerFor } from '../backend/api/classify';\nimport Database from 'better-sqlite3';\n`;
    expect(await layeringErrors('electron/cli/misplaced.ts', misplaced)).toHaveLength(4);
    expect(await layeringErrors('electron/web/misplaced.ts', misplaced)).toHaveLength(4);
    expect(await layeringErrors('electron/main.ts', `import { getRun } from './backend/store/runs';\n`)).toEqual([
      expect.stringContaining('only through its door'),
    ]);
    expect(await layeringErrors('electron/cli.ts', `import { defaultDbPath } from './backend/paths';\n`)).toHaveLength(1);
    const allowed = `import fs from 'node:fs';\nimport { openApi } from '../backend/api';\nimport { requests } from '../../shared/contract';\nimport { print } from './common';\n`;
    expect(await layeringErrors('electron/cli/allowed.ts', allowed)).toEqual([]);
  });

  it('shared/ imports only its own files and uses no DOM globals', async () => {
    const code = `import fs from 'node:fs';\nimport path from 'path';\nimport { openApi } from '../electron/backend/api';\nimport { api } from '../renderer/src/api/client';\nimport { ok } from './schema';\nexport const w = window.location;\n`;
    const errors = await layeringErrors('shared/misplaced.ts', code);
    expect(errors.map((e) => e.split(':')[0])).toEqual(['1', '2', '3', '4', '6']);
  });

  it('renderer/ never imports Node, Electron, better-sqlite3, tfjs or electron/ code', async () => {
    const code = `import fs from 'node:fs';\nimport os from 'os';\nimport { ipcRenderer } from 'electron';\nimport Database from 'better-sqlite3';\nimport * as tf from '@tensorflow/tfjs';\nimport { openApi } from '../../electron/backend/api';\nimport { requests } from '../../shared/contract';\nimport { useState } from 'react';\n`;
    const errors = await layeringErrors('renderer/src/misplaced.ts', code);
    expect(errors.map((e) => e.split(':')[0])).toEqual(['1', '2', '3', '4', '5', '6']);
  });

  it('the store imports nothing above it, and the backend never imports Electron', async () => {
    const store = `import { ApiContext } from '../api/context';\nimport { parseMail } from '../ingest/parse';\nimport { TOKENIZER_VERSION } from '../features/tokenizer';\nimport { app } from 'electron';\nimport { stmt } from './open';\nimport { ApiError } from '../../../shared/errors';\n`;
    expect((await layeringErrors('electron/backend/store/misplaced.ts', store)).map((e) => e.split(':')[0])).toEqual(['1', '2', '3', '4']);
    expect(
      await layeringErrors('electron/backend/store/migrations/misplaced.ts', `import { x } from '../../training/split';\n`),
    ).toHaveLength(1);
    expect(await layeringErrors('electron/backend/ingest/misplaced.ts', `import { app } from 'electron';\n`)).toHaveLength(1);
  });
});
