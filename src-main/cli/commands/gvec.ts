/**
 * `lab gvec parse <g>` | `lab gvec meet <g> <g>…` | `lab gvec leq <a> <b>` (DESIGN §5).
 *
 * The result is the last stdout line: the canonical G-vector, or exactly `true`/`false`
 * for leq. Bad input returns 2 with a stderr message naming the argument and component.
 * Options: `--ascii` prints `<…>`; `--sym NAME=DURATION` (repeatable) binds a BS symbol,
 * e.g. `--sym δ_repl=500ms`, so that vectors using it can be compared.
 */
import {
  GVectorError,
  formatGVector,
  leq,
  meet,
  parseDuration,
  parseGVector,
  type GVector,
} from '../../../src-shared/gvector/index';
import { UsageError, type CliCommand, type CliIO } from '../io';

const USAGE = [
  'usage: lab gvec parse <g>',
  '       lab gvec meet <g> <g>...',
  '       lab gvec leq <a> <b>',
  'options: --ascii (print <...>), --sym NAME=DURATION (bind a BS symbol, repeatable)',
  "example: lab gvec meet '⟨Global, SS, SER, BS(100ms), Idem, Auth⟩' '<Global, SS, SER, BS(500ms), Idem, Auth>'",
].join('\n');

interface Parsed {
  sub: string | undefined;
  positional: string[];
  ascii: boolean;
  symbols: Record<string, number> | undefined;
  help: boolean;
}

function parseArgs(args: string[]): Parsed {
  const out: Parsed = { sub: undefined, positional: [], ascii: false, symbols: undefined, help: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--ascii') out.ascii = true;
    else if (a === '--help' || a === '-h') out.help = true;
    else if (a === '--sym' || a.startsWith('--sym=')) {
      const binding = a === '--sym' ? args[++i] : a.slice('--sym='.length);
      if (binding === undefined) throw new UsageError('--sym needs NAME=DURATION, e.g. --sym δ_repl=500ms');
      const eq = binding.indexOf('=');
      if (eq <= 0) throw new UsageError(`--sym "${binding}": expected NAME=DURATION, e.g. δ_repl=500ms`);
      let ms: number;
      try {
        ms = parseDuration(binding.slice(eq + 1));
      } catch (e) {
        throw new UsageError(`--sym "${binding}": ${(e as Error).message}`);
      }
      out.symbols = { ...out.symbols, [binding.slice(0, eq).trim()]: ms };
    } else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
    else if (out.sub === undefined) out.sub = a;
    else out.positional.push(a);
  }
  return out;
}

/** Parse the i-th G-vector argument, prefixing errors with which argument it was. */
function parseArg(sub: string, text: string, index: number, symbols: Record<string, number> | undefined): GVector {
  try {
    return parseGVector(text, symbols ? { symbols } : {});
  } catch (e) {
    if (e instanceof GVectorError) throw new UsageError(`gvec ${sub}: argument ${index + 1} (${JSON.stringify(text)}): ${e.message}`);
    throw e;
  }
}

/** meet/leq throw GVectorError when two bounds can't be compared (unbound symbols):
 * that is bad input too, reported with the subcommand. */
function compare<T>(sub: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof GVectorError) throw new UsageError(`gvec ${sub}: ${e.message}`);
    throw e;
  }
}

function run(p: Parsed, io: CliIO): void {
  const { sub, positional } = p;
  const gs = () => positional.map((t, i) => parseArg(sub!, t, i, p.symbols));
  const print = (g: GVector) => io.out(formatGVector(g, { ascii: p.ascii }));
  switch (sub) {
    case 'parse':
      if (positional.length !== 1) {
        throw new UsageError(`gvec parse takes exactly one G-vector, got ${positional.length} (quote it: '⟨Global, SS, …⟩')`);
      }
      print(gs()[0]!);
      return;
    case 'meet':
      if (positional.length < 1) throw new UsageError('gvec meet needs at least one G-vector');
      print(compare(sub, () => meet(...gs())));
      return;
    case 'leq': {
      if (positional.length !== 2) throw new UsageError(`gvec leq takes exactly two G-vectors <a> <b>, got ${positional.length}`);
      const [a, b] = gs();
      io.out(compare(sub, () => leq(a!, b!)) ? 'true' : 'false');
      return;
    }
    case undefined:
      throw new UsageError('missing subcommand (parse, meet or leq)');
    default:
      throw new UsageError(`unknown subcommand "${sub}" (expected parse, meet or leq)`);
  }
}

export const gvecCommand: CliCommand = async (args, io) => {
  try {
    const p = parseArgs(args);
    if (p.help) {
      for (const line of USAGE.split('\n')) io.out(line);
      return 0;
    }
    run(p, io);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(e.message);
      io.err(USAGE);
      return 2;
    }
    throw e;
  }
};
