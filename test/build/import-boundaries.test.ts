// Who may import whom (DEVELOPERS.md, common/README.md): the sandbox and the backend never import
// each other or the panel; common/ imports only itself and stays free of DOM, Figma and Node APIs,
// since it runs in all three places. The bundles would still build if a rule were broken, so the
// rules are checked here.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
type Area = 'plugin' | 'ui' | 'backend' | 'common';

/** Source files of an area, tests and test helpers left out (they may reach for fakes). */
function sources(area: Area): string[] {
  return readdirSync(path.join(root, area), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) && !f.split(path.sep).includes('test-helpers'))
    .map((f) => path.join(root, area, f));
}

/** Each import as "file → top-level folder" (relative ones) or "file → package". */
function imports(area: Area): Array<{ file: string; target: string }> {
  const out = [];
  for (const file of sources(area)) {
    for (const { fileName: spec } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      const target = spec.startsWith('.') ? path.relative(root, path.resolve(path.dirname(file), spec)).split(path.sep)[0]! : `package ${spec}`;
      out.push({ file: path.relative(root, file), target });
    }
  }
  return out;
}

function crossings(area: Area, allowed: (target: string) => boolean): string[] {
  return imports(area)
    .filter((i) => !allowed(i.target))
    .map((i) => `${i.file} → ${i.target}`);
}

describe('import boundaries', () => {
  it('finds the imports it checks', () => {
    expect(imports('plugin').some((i) => i.target === 'common')).toBe(true);
    expect(imports('backend').some((i) => i.target === 'common')).toBe(true);
  });

  it('the sandbox imports only itself, common/ and npm packages', () => {
    expect(crossings('plugin', (t) => t === 'plugin' || t === 'common' || t.startsWith('package '))).toEqual([]);
  });

  it('the backend imports only itself, common/ and npm packages', () => {
    expect(crossings('backend', (t) => t === 'backend' || t === 'common' || t.startsWith('package '))).toEqual([]);
  });

  it('common/ imports only common/ and npm packages that are not Node built-ins', () => {
    expect(crossings('common', (t) => t === 'common' || (t.startsWith('package ') && !t.startsWith('package node:')))).toEqual([]);
  });

  it('common/ compiles with the ECMAScript library alone: no DOM, Figma or Node API', () => {
    const configPath = path.join(root, 'common/tsconfig.json');
    const config = ts.getParsedCommandLineOfConfigFile(configPath, undefined, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
    expect(config.fileNames.length).toBeGreaterThan(0);
    const program = ts.createProgram(config.fileNames, config.options);
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(problems).toEqual([]);
  });
});
