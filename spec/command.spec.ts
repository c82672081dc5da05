import { splitCommand, substitutePlaceholders } from '../lib/command.js';

describe('splitCommand', () => {
  test.each([
    ['paste -d "\\t" {nums} -', ['paste', '-d', '\\t', '{nums}', '-']],
    ["awk '{print $1}'", ['awk', '{print $1}']],
    ['a\\ b "c d" e', ['a b', 'c d', 'e']],
    ['say "it\\"s" \'x\'"y"', ['say', 'it"s', 'xy']],
    ['  spaced\t\tout  ', ['spaced', 'out']],
    ['empty "" word', ['empty', '', 'word']],
    ['"\\$HOME" $HOME', ['$HOME', '$HOME']],
  ])('%s', (line, words) => {
    expect(splitCommand(line)).toEqual(words);
  });

  test.each([["it's"], ['say "hi']])('rejects an unterminated quote in %s', (line) => {
    expect(() => splitCommand(line)).toThrow(/unterminated/);
  });
});

describe('substitutePlaceholders', () => {
  const paths = new Map([
    ['nums', '/dev/fd/3'],
    ['stdin', '/dev/fd/0'],
  ]);
  test.each([
    ['{id}.log', '2.log'],
    ['{nums}', '/dev/fd/3'],
    ['{stdin}', '/dev/fd/0'],
    ['{print $1}', '{print $1}'],
    ['{other}', '{other}'],
    ['--in={nums},{id}', '--in=/dev/fd/3,2'],
  ])('%s', (argument, expected) => {
    expect(substitutePlaceholders(argument, 2, paths)).toBe(expected);
  });
});
