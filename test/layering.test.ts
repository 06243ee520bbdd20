import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|tsx)$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [
    ...text.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1] ?? m[2] ?? m[3]!);
}

const NODE_BUILTINS = new Set(require('node:module').builtinModules as string[]);
const isNodeModule = (spec: string) => spec.startsWith('node:') || NODE_BUILTINS.has(spec.split('/')[0]!);

describe('layering', () => {
  it('shared/ imports nothing from Node, Electron, the DOM side or the backend', () => {
    const offenders = sourceFiles('shared').flatMap((file) =>
      importsOf(file)
        .filter((spec) => !spec.startsWith('./') || isNodeModule(spec))
        .map((spec) => `${path.relative(root, file)} imports ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it('shared/ uses no DOM globals', () => {
    const offenders = sourceFiles('shared').filter((file) => /\b(window|document|localStorage)\./.test(fs.readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('renderer/ never imports node:*, electron, better-sqlite3 or electron/ code', () => {
    const offenders = sourceFiles('renderer').flatMap((file) =>
      importsOf(file)
        .filter((spec) => isNodeModule(spec) || /^(electron|better-sqlite3|@tensorflow)/.test(spec) || /(^|\/)electron\//.test(spec))
        .map((spec) => `${path.relative(root, file)} imports ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it('backend/ never imports electron, so it runs in plain Node', () => {
    const offenders = sourceFiles('electron/backend').flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec === 'electron')
        .map((spec) => `${path.relative(root, file)} imports ${spec}`),
    );
    expect(offenders).toEqual([]);
  });
});
