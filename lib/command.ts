/**
 * Command lines: split a string into argv with POSIX shell quoting rules (no shell runs),
 * and substitute the `{id}` and `{<channel>}` placeholders per worker.
 * @module
 */

/**
 * Splits a command line into words the way `sh` would, without expansions: single quotes
 * keep everything literal, double quotes honour `\"`, `\\`, `\$` and `` \` ``, and a backslash
 * outside quotes escapes the next character. Throws a plain Error on an unterminated quote;
 * option validation turns it into an OptionsError.
 */
export function splitCommand(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (char === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error('has an unterminated single quote');
      word += line.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (char === '"') {
      i = readDoubleQuoted(line, i + 1, (text) => (word += text));
      inWord = true;
    } else if (char === '\\') {
      if (i + 1 < line.length && line[i + 1] !== '\n') word += line[i + 1];
      inWord = true;
      i++;
    } else if (char === ' ' || char === '\t' || char === '\n') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** Reads a double-quoted span starting after the opening quote; returns the closing quote's index. */
function readDoubleQuoted(line: string, start: number, append: (text: string) => void): number {
  for (let i = start; i < line.length; i++) {
    const char = line[i];
    if (char === '"') return i;
    if (char === '\\' && i + 1 < line.length && '"\\$`\n'.includes(line[i + 1])) {
      if (line[i + 1] !== '\n') append(line[i + 1]);
      i++;
    } else {
      append(char);
    }
  }
  throw new Error('has an unterminated double quote');
}

/**
 * Replaces `{id}` with the worker id and `{<channel>}` with the path the child can open for
 * that channel (`/dev/fd/N`). Any other `{…}` is left as it is, so `awk '{print $1}'` works.
 */
export function substitutePlaceholders(
  argument: string,
  workerId: number,
  channelPaths: ReadonlyMap<string, string>,
): string {
  return argument.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => {
    if (name === 'id') return String(workerId);
    return channelPaths.get(name) ?? whole;
  });
}

/** Replaces `{id}` in a file path template. */
export function substituteWorkerId(template: string, workerId: number): string {
  return template.replaceAll('{id}', String(workerId));
}
