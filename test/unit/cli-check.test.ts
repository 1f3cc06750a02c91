import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkCommand } from '../../src-main/cli/commands/check';
import { memoryIO } from '../../src-main/cli/io';

const DATA = resolve(dirname(fileURLToPath(import.meta.url)), '../..', '../shared/external/porcupine-histories');
if (!existsSync(DATA)) throw new Error(`porcupine-histories data not found at ${DATA}`);
const dir = mkdtempSync(join(tmpdir(), 'lab-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

async function run(...args: string[]) {
  const io = memoryIO();
  const code = await checkCommand(args, io);
  return { code, out: io.stdout, err: io.stderr, last: io.stdout.at(-1) };
}

const J = (p: number, type: string, f: string, v: string) => `INFO  jepsen.util - ${p}\t:${type}\t:${f}\t${v}`;
const OK_LOG = [J(0, 'invoke', 'write', '1'), J(1, 'invoke', 'read', 'nil'), J(0, 'ok', 'write', '1'), J(1, 'ok', 'read', '1'), J(2, 'invoke', 'cas', '[1 2]'), J(2, 'info', 'cas', ':timed-out')].join('\n') + '\n';
const BAD_LOG = [J(0, 'invoke', 'write', '1'), J(0, 'ok', 'write', '1'), J(1, 'invoke', 'write', '2'), J(1, 'ok', 'write', '2'), J(0, 'invoke', 'read', 'nil'), J(0, 'ok', 'read', '1')].join('\n') + '\n';
const KV = (p: number, type: string, f: string, key: string, v: string) => `{:process ${p}, :type :${type}, :f :${f}, :key "${key}", :value ${v}}`;
const KV_OK = [KV(0, 'invoke', 'put', 'k', '"a"'), KV(0, 'ok', 'put', 'k', '"a"'), KV(1, 'invoke', 'append', 'k', '"b"'), KV(2, 'invoke', 'get', 'j', 'nil'), KV(1, 'ok', 'append', 'k', '"b"'), KV(2, 'ok', 'get', 'j', '""')].join('\n');
const KV_BAD = [KV(0, 'invoke', 'put', 'k', '"a"'), KV(0, 'ok', 'put', 'k', '"a"'), KV(1, 'invoke', 'get', 'k', 'nil'), KV(1, 'ok', 'get', 'k', '"b"')].join('\n');

describe('lab check', () => {
  it('a linearizable Jepsen log: exit 0, verdict last', async () => {
    const r = await run(file('ok.log', OK_LOG));
    expect(r.code).toBe(0);
    expect(r.last).toBe('linearizable');
    expect(r.err).toEqual([]);
    expect(r.out.join('\n')).toMatch(/operations: 3 \(2 ok, 0 failed, 1 indeterminate\)/);
    expect(r.out.join('\n')).toMatch(/partitions: 1/);
    expect(r.out.join('\n')).toMatch(/checked in [\d.]+ ms/);
  });

  it('a non-linearizable Jepsen log: exit 0, verdict last, the stuck ops listed', async () => {
    const r = await run(file('bad.log', BAD_LOG));
    expect(r.code).toBe(0);
    expect(r.last).toBe('not-linearizable');
    const text = r.out.join('\n');
    expect(text).toMatch(/write\(2\) \(lines 3-4\)/);
    expect(text).toMatch(/read\(\) → 1 \(lines 5-6\)/);
  });

  it('kv histories are recognised without --model', async () => {
    expect((await run(file('ok.edn', KV_OK))).last).toBe('linearizable');
    const bad = await run(file('bad.edn', KV_BAD));
    expect(bad.code).toBe(0);
    expect(bad.last).toBe('not-linearizable');
    expect(bad.out.join('\n')).toMatch(/partition "k": not linearizable/);
    expect((await run(file('ok2.edn', KV_OK), '--model', 'kv')).last).toBe('linearizable');
    expect((await run(file('ok3.edn', KV_OK), '--model=kv')).last).toBe('linearizable');
  });

  it('real recorded histories', async () => {
    const ok = await run(join(DATA, 'kv/c10-ok.txt'));
    expect([ok.code, ok.last]).toEqual([0, 'linearizable']);
    const bad = await run(join(DATA, 'etcd/etcd_000.log'), '--model', 'cas-register');
    expect([bad.code, bad.last]).toEqual([0, 'not-linearizable']);
    const empty = await run(join(DATA, 'etcd/etcd_095.log'));
    expect([empty.code, empty.last]).toEqual([0, 'linearizable']);
    expect(empty.out.join('\n')).toMatch(/vacuously linearizable/);
  });

  it('a malformed file: exit 2 and stderr names the line and the problem', async () => {
    const text = OK_LOG.split('\n');
    text.splice(3, 0, 'INFO  jepsen.util - 1\t:ok\t:frobnicate\t1');
    const p = file('malformed.log', text.join('\n'));
    const r = await run(p);
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toMatch(/:4: malformed history \(line 4\): unknown function ':frobnicate'/);

    const kvBad = await run(file('malformed.edn', [KV_OK.split('\n')[0], '{:process 0, :type :ok, :f :put, :key "k", :value "a}'].join('\n')), '--model', 'kv');
    expect(kvBad.code).toBe(2);
    expect(kvBad.err.join('\n')).toMatch(/line 2\): unterminated string/);

    const wrongModel = await run(file('ok4.edn', KV_OK), '--model', 'cas-register');
    expect(wrongModel.code).toBe(2);
    expect(wrongModel.err.join('\n')).toMatch(/line 1\): not a Jepsen history line/);

    const unknownFormat = await run(file('what.txt', '\n\nhello world\n'));
    expect(unknownFormat.code).toBe(2);
    expect(unknownFormat.err.join('\n')).toMatch(/what\.txt:3: cannot tell the history format/);
  });

  it('a missing file: exit 2 with a clear message', async () => {
    const r = await run(join(dir, 'does-not-exist.log'));
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toMatch(/cannot read '.*does-not-exist\.log': no such file/);
    expect(r.out).toEqual([]);
  });

  it('bad arguments: exit 2 with usage', async () => {
    for (const args of [[], ['a', 'b'], ['x.log', '--model', 'queue'], ['x.log', '--model'], ['x.log', '--budget', '-3'], ['x.log', '--frob']]) {
      const r = await run(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.join('\n')).toMatch(/usage: lab check/);
    }
  });

  it('running out of budget prints unknown last and exits 0', async () => {
    const r = await run(join(DATA, 'kv/c50-ok.txt'), '--budget', '1000');
    expect(r.code).toBe(0);
    expect(r.last).toBe('unknown');
    expect(r.out.join('\n')).toMatch(/budget exhausted/);
    const t = await run(join(DATA, 'etcd/etcd_002.log'), '--timeout', '0.000001');
    expect([t.code, t.last]).toEqual([0, 'unknown']);
  });
});
