import { describe, expect, it } from 'vitest';
import { gvecCommand } from '../../src-main/cli/commands/gvec';
import { memoryIO } from '../../src-main/cli/io';

async function run(...args: string[]) {
  const io = memoryIO();
  const code = await gvecCommand(args, io);
  return { code, last: io.stdout.at(-1), stdout: io.stdout, stderr: io.stderr.join('\n') };
}

describe('lab gvec', () => {
  it('parse prints the canonical form as the last stdout line', async () => {
    const r = await run('parse', '<Global,SS,SER, BS(0.5s),Idem( event_id ),Auth(JWT)>');
    expect(r.code).toBe(0);
    expect(r.last).toBe('⟨Global, SS, SER, BS(500ms), Idem(event_id), Auth(JWT)⟩');
    expect(r.stderr).toBe('');
  });

  it('--ascii prints <…>', async () => {
    const r = await run('parse', '--ascii', '⟨Range, Causal, RA, BS(∞), Idem(version), Auth⟩');
    expect(r.code).toBe(0);
    expect(r.last).toBe('<Range, Causal, RA, EO, Idem(version), Auth>');
  });

  it('meet composes the NT-1 path', async () => {
    const r = await run(
      'meet',
      '⟨Global, SS, SER, Fresh(φ), Idem, Auth⟩',
      '⟨Global, SS, SER, BS(100ms), Idem, Auth⟩',
      '⟨Global, SS, SER, BS(500ms), Idem, Auth⟩',
      '⟨Global, SS, SER, Fresh(disk), Idem, Auth⟩',
    );
    expect(r.code).toBe(0);
    expect(r.last).toBe('⟨Global, SS, SER, BS(500ms), Idem, Auth⟩');
  });

  it('leq prints exactly true or false', async () => {
    const weak = '⟨Local, None, Fractured, EO, Idem(event_id), Auth(JWT)⟩';
    const strong = '⟨Global, SS, SER, BS(500ms), Idem(event_id), Auth(JWT)⟩';
    expect(await run('leq', weak, strong)).toMatchObject({ code: 0, last: 'true' });
    expect(await run('leq', strong, weak)).toMatchObject({ code: 0, last: 'false' });
  });

  it('bad input exits 2 and names the argument and the component', async () => {
    const r = await run('meet', '⟨Global, SS, SER, EO, Idem, Auth⟩', '⟨Global, SS, SER, BS(500), Idem, Auth⟩');
    expect(r.code).toBe(2);
    expect(r.stdout).toStrictEqual([]);
    expect(r.stderr).toContain('argument 2');
    expect(r.stderr).toContain('Recency: "BS(500)" — a duration needs a unit');

    const s = await run('parse', '⟨Global, SS, SER, Idem, Auth⟩');
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/argument 1 .*expected 6 components .*got 5/);
  });

  it('comparing different unbound symbols exits 2; --sym binds them', async () => {
    const a = '⟨Global, SS, SER, BS(δ_repl), Idem, Auth⟩';
    const b = '⟨Global, SS, SER, BS(600ms), Idem, Auth⟩';
    const bad = await run('meet', a, b);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/gvec meet: Recency: cannot compare .*"δ_repl" is unbound/);

    const ok = await run('meet', '--sym', 'δ_repl=500ms', a, b);
    expect(ok).toMatchObject({ code: 0, last: '⟨Global, SS, SER, BS(600ms), Idem, Auth⟩' });
    expect(await run('leq', '--sym=δ_repl=1s', b, a)).toMatchObject({ code: 0, last: 'false' });

    const unknown = await run('parse', '--sym', 'TTL=5min', a);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown symbol "δ_repl"');
    expect((await run('parse', '--sym', 'TTL=5 parsecs', a)).stderr).toContain('--sym "TTL=5 parsecs"');
  });

  it('usage errors exit 2 with a message', async () => {
    const g = '⟨Global, SS, SER, EO, Idem, Auth⟩';
    for (const [args, msg] of [
      [[], 'missing subcommand'],
      [['join', g], 'unknown subcommand "join"'],
      [['leq', g], 'gvec leq takes exactly two'],
      [['parse', g, g], 'gvec parse takes exactly one'],
      [['meet'], 'gvec meet needs at least one'],
      [['parse', '--json', g], 'unknown option --json'],
    ] as const) {
      const r = await run(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(msg);
    }
  });

  it('--help prints usage and exits 0', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    expect(r.stdout.join('\n')).toContain('lab gvec meet');
  });
});
