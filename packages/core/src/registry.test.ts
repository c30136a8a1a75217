import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { API_VERSION, defineOptimizer, definePlugin } from './contracts';
import { BiaslabError } from './errors';
import { parseOptions } from './options';
import { Registry } from './registry';

const gd = defineOptimizer({
  name: 'gd',
  summary: 'plain gradient descent',
  options: z.object({ clip: z.number().positive().default(1).describe('clip norm') }).strict(),
  create: () => ({ init: () => ({}), step: async ({ theta, state }) => ({ theta, state }) }),
});
const plugin = (name: string, apiVersion = API_VERSION) =>
  definePlugin({ name, apiVersion, components: [gd] });

function expectError(fn: () => unknown, code: string, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof BiaslabError, `expected a BiaslabError, got ${String(e)}`);
    assert.equal(e.code, code);
    assert.match(e.message, pattern);
    return true;
  });
}

test('components are keyed kind/name and found again', () => {
  const registry = new Registry().use(plugin('p'));
  assert.equal(registry.get('optimizer', 'gd'), gd);
  assert.equal(registry.resolve('optimizer/gd'), gd);
  assert.deepEqual(
    registry.list().map((e) => [e.key, e.plugin]),
    [['optimizer/gd', 'p']],
  );
});

test('duplicates throw, naming both plugins, and leave the registry unchanged', () => {
  const registry = new Registry().use(plugin('first'));
  expectError(
    () => registry.use(plugin('second')),
    'DUPLICATE_COMPONENT',
    /`optimizer\/gd`.*`second`.*`first`/,
  );
  assert.equal(registry.list().length, 1);
  assert.equal(registry.usedPlugins().length, 1);
});

test('an apiVersion mismatch throws naming both numbers', () => {
  expectError(
    () => new Registry().use(plugin('old', API_VERSION + 1)),
    'API_VERSION',
    new RegExp(`${API_VERSION + 1}.*${API_VERSION}`),
  );
});

test('unknown names list what exists', () => {
  const registry = new Registry().use(plugin('p'));
  expectError(
    () => registry.get('optimizer', 'adamw'),
    'UNKNOWN_PLUGIN',
    /Unknown optimizer `adamw`.*Available optimizers: gd/,
  );
  expectError(() => registry.get('model', 'mlp'), 'UNKNOWN_PLUGIN', /\(none\)/);
  expectError(() => registry.resolve('gizmo/x'), 'UNKNOWN_PLUGIN', /KIND\/NAME/);
});

test('a malformed plugin is refused clearly', () => {
  expectError(
    () => new Registry().use({} as never),
    'INVALID_PLUGIN',
    /`name`, `apiVersion` and `components`/,
  );
  expectError(
    () =>
      new Registry().use({ name: 'bad', apiVersion: API_VERSION, components: [{ kind: 'widget' } as never] }),
    'INVALID_PLUGIN',
    /unknown kind `widget`/,
  );
});

test('parseOptions fills defaults and names option, expected type and received value', () => {
  assert.deepEqual(parseOptions(gd.options, undefined, 'optimizer/gd'), { clip: 1 });
  expectError(
    () => parseOptions(gd.options, { clip: 'abc' }, 'optimizer/gd'),
    'INVALID_OPTIONS',
    /`clip`: expected number, received "abc" \(string\)/,
  );
  expectError(
    () => parseOptions(gd.options, { clip: -2 }, 'optimizer/gd'),
    'INVALID_OPTIONS',
    /`clip`.*received -2/,
  );
  expectError(
    () => parseOptions(gd.options, { momentum: 0.9 }, 'optimizer/gd'),
    'INVALID_OPTIONS',
    /unknown option `momentum`/,
  );
});

test('a component whose options are not a zod schema, or whose name is empty, is refused naming the key', () => {
  const notZod = { ...gd, name: 'plain', options: { beta: { type: 'number', default: 0.9 } } } as never;
  expectError(
    () => new Registry().use(definePlugin({ name: 'p', apiVersion: API_VERSION, components: [notZod] })),
    'INVALID_PLUGIN',
    /`optimizer\/plain` from plugin `p` has an invalid `options` schema: expected a zod schema, received a plain object with keys `beta`/,
  );
  const missing = { ...gd, name: 'bare', options: undefined } as never;
  expectError(
    () => new Registry().use(definePlugin({ name: 'p', apiVersion: API_VERSION, components: [missing] })),
    'INVALID_PLUGIN',
    /`optimizer\/bare`.*received nothing/,
  );
  const unnamed = { ...gd, name: '' };
  expectError(
    () => new Registry().use(definePlugin({ name: 'p', apiVersion: API_VERSION, components: [unnamed] })),
    'INVALID_PLUGIN',
    /has a `optimizer` component whose name is ""/,
  );
});
