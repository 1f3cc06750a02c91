import { describe, expect, it } from 'vitest';
import { COMPONENT_HELP, gvectorCells, splitGVector, splitValue, valueHelp } from '../../src-renderer/lib/gvec-view';
import { COMPONENTS } from '../../src-shared/gvector';

describe('splitGVector', () => {
  it('splits the seed notation into six components', () => {
    expect(splitGVector('⟨Global, SS, SER, BS(δ_repl), Idem(event_id), Auth(JWT)⟩')).toEqual([
      'Global',
      'SS',
      'SER',
      'BS(δ_repl)',
      'Idem(event_id)',
      'Auth(JWT)',
    ]);
  });
  it('accepts the ASCII form and commas inside labels', () => {
    expect(splitGVector('<Local,None,Fractured,EO,Idem(a, b),Unauth>')).toEqual(['Local', 'None', 'Fractured', 'EO', 'Idem(a, b)', 'Unauth']);
  });
  it('returns null for anything that is not six components', () => {
    expect(splitGVector('⟨Global, SS⟩')).toBeNull();
    expect(splitGVector('')).toBeNull();
    expect(splitGVector('⟨Global, SS, SER, , Idem, Auth⟩')).toBeNull();
  });
});

describe('splitValue and valueHelp', () => {
  it('separates a head from its argument', () => {
    expect(splitValue('BS(500ms)')).toEqual({ head: 'BS', arg: '500ms', short: '500ms' });
    expect(splitValue('SS')).toEqual({ head: 'SS', arg: null, short: null });
    expect(splitValue('BS(δ_repl=500ms)')).toEqual({ head: 'BS', arg: 'δ_repl=500ms', short: '500ms' });
  });
  it('explains the notation in the seed’s words', () => {
    expect(valueHelp('SS')).toMatch(/strict serializability/);
    expect(valueHelp('BS(500ms)')).toMatch(/bounded staleness.*δ = 500ms/);
    expect(valueHelp('EO')).toMatch(/eventual only/);
    expect(valueHelp('RA')).toMatch(/read atomic/);
    expect(valueHelp('SER')).toMatch(/serializable/);
    expect(valueHelp('Lx')).toMatch(/linearizable/);
    expect(valueHelp('Idem(event_id)')).toMatch(/idempotent.*event_id/);
    expect(valueHelp('Auth(JWT)')).toMatch(/authenticated by JWT/);
    expect(valueHelp('Mystery')).toBe('Mystery');
  });
  it('has help for every component', () => {
    for (const c of COMPONENTS) expect(COMPONENT_HELP[c]).toBeTruthy();
  });
});

describe('gvectorCells', () => {
  it('marks the components the host reports as weaker', () => {
    const cells = gvectorCells('⟨Local, None, Fractured, EO, Idem(event_id), Auth(JWT)⟩', '⟨Global, SS, SER, BS(500ms), Idem(event_id), Auth(JWT)⟩', [
      'scope',
      'order',
      'visibility',
      'recency',
    ]);
    expect(cells.map((c) => c.component)).toEqual([...COMPONENTS]);
    expect(cells.filter((c) => c.broken).map((c) => c.observed)).toEqual(['Local', 'None', 'Fractured', 'EO']);
    expect(cells[4]).toMatchObject({ observed: 'Idem(event_id)', claimed: 'Idem(event_id)', broken: false, changed: false });
  });
  it('survives unparsable text', () => {
    const cells = gvectorCells('garbage', '⟨Global, SS, SER, EO, Idem, Auth⟩', []);
    expect(cells[0]).toMatchObject({ observed: '—', claimed: 'Global' });
  });
});
