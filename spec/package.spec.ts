import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './helpers/records.js';

/** A folder whose node_modules/subfeed is this repository, as a dependent project sees it. */
function dependentProject(): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(join(__dirname, '..'), join(dir, 'node_modules', 'subfeed'));
  return dir;
}

/** Runs a script in a dependent project: it feeds two records through `cat` and prints them. */
function runIn(dir: string, args: string[]) {
  return spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8' });
}

const body = `
  const swarm = createSwarm({ command: 'cat', count: 1, stdout: 'pipe' });
  let text = '';
  await pipeline(Readable.from(['a\\n', 'b\\n']), swarm, async (lines) => { for await (const c of lines) text += c; });
  console.log(text.trim().replace('\\n', ','), typeof SubfeedError, typeof Coordinator);
`;

describe('the built package', () => {
  test('works from CommonJS: require("subfeed")', () => {
    const script = `const { createSwarm, SubfeedError, Coordinator } = require('subfeed');
      const { pipeline } = require('node:stream/promises'); const { Readable } = require('node:stream');
      (async () => { ${body} })();`;
    const result = runIn(dependentProject(), ['-e', script]);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('a,b function function');
  });

  test('works from ESM: import { createSwarm } from "subfeed"', () => {
    const script = `import { createSwarm, SubfeedError, Coordinator } from 'subfeed';
      import { pipeline } from 'node:stream/promises'; import { Readable } from 'node:stream';
      ${body}`;
    const result = runIn(dependentProject(), ['--input-type=module', '-e', script]);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('a,b function function');
  });
});
