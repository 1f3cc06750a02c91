/**
 * The headless CLI (`npm run lab -- …`, also the package's `bin`), DESIGN §5.
 * Each command prints its result as the last line of stdout; bad input exits 2 with a
 * message on stderr naming the offending part.
 */
import { checkCommand } from './commands/check';
import { gvecCommand } from './commands/gvec';
import { runCommand } from './commands/run';
import { describeCommand, scenariosCommand } from './commands/scenarios';
import { UsageError, type CliCommand, type CliIO } from './io';

const COMMANDS: Record<string, CliCommand> = {
  scenarios: scenariosCommand,
  describe: describeCommand,
  gvec: gvecCommand,
  run: runCommand,
  check: checkCommand,
};

const USAGE = `usage: lab <command> …
  scenarios [--json]                 list scenarios
  describe <id> [--json]             nodes, links, strategies, modes, invariants
  gvec parse <g> | meet <g>… | leq <a> <b>
  run <id|file> [--strategy S] [--seed N] [--script F] [--until 120s] [--out F.json|.md|.html]
  check <history file> [--model cas-register|kv]`;

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === 'help') {
    io.out(USAGE);
    return cmd ? 0 : 2;
  }
  const command = COMMANDS[cmd];
  if (!command) {
    io.err(`unknown command "${cmd}"\n${USAGE}`);
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (e) {
    io.err(`${cmd}: ${(e as Error).message}`);
    return e instanceof UsageError || /unknown scenario|^scenarios\//.test((e as Error).message) ? 2 : 1;
  }
}

const isEntry = process.argv[1] && /cli[\\/]main\.(ts|js|mjs)$/.test(process.argv[1]);
if (isEntry) {
  main(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l) }).then((code) => {
    process.exitCode = code;
  });
}
