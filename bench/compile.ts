/**
 * Turns lib/ and bench/ into plain CommonJS for the contender processes, with TypeScript's
 * own transpiler (no type check: `npm run typecheck` does that).
 *
 * Why not run the contenders under tsx like the orchestrator: tsx's loader (esbuild and its
 * caches) adds ~50 MiB to a process's peak RSS and ~0.5 s to its start, which would swamp
 * the RSS figures and dominate a quick run. Plain `node` on transpiled files is also how
 * users run subfeed (dist/).
 * @module
 */
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** Transpiled output lives under node_modules so that `require('readable-stream')` resolves. */
export const COMPILED_ROOT = join(__dirname, '..', 'node_modules', '.cache', 'subfeed-bench');

/** Folders (relative to the repository root) whose .ts files the contenders need. */
const SOURCE_FOLDERS = ['lib', 'bench'];

/**
 * Transpiles every .ts file that changed since its last transpilation; returns the path of the
 * compiled contender entry point. TypeScript itself (~1 s to load) is only loaded when needed.
 */
export async function compileForContenders(): Promise<string> {
  const root = join(__dirname, '..');
  let ts: typeof import('typescript') | undefined;
  for (const folder of SOURCE_FOLDERS) {
    for (const file of listTypeScriptFiles(join(root, folder))) {
      const target = join(COMPILED_ROOT, relative(root, file)).replace(/\.ts$/, '.js');
      if (isUpToDate(target, file)) continue;
      ts ??= (await import('typescript')).default;
      const output = ts.transpileModule(readFileSync(file, 'utf8'), {
        fileName: file,
        compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, esModuleInterop: true },
      });
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, output.outputText);
    }
  }
  return join(COMPILED_ROOT, 'bench', 'child.js');
}

function isUpToDate(target: string, source: string): boolean {
  try {
    return statSync(target).mtimeMs >= statSync(source).mtimeMs;
  } catch {
    return false; // ENOENT: never transpiled
  }
}

function listTypeScriptFiles(folder: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...listTypeScriptFiles(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(path);
  }
  return files;
}
