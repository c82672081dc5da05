// Builds the CommonJS and ESM copies of lib/ into dist/, each with a package.json
// that tells Node which module system its .js files use.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync('dist', { recursive: true, force: true });
for (const [config, type] of [['tsconfig.build.json', 'commonjs'], ['tsconfig.esm.json', 'module']]) {
  execFileSync(process.execPath, [tsc, '-p', config], { stdio: 'inherit' });
  const folder = type === 'commonjs' ? 'dist/cjs' : 'dist/esm';
  mkdirSync(folder, { recursive: true });
  writeFileSync(`${folder}/package.json`, JSON.stringify({ type }) + '\n');
}
