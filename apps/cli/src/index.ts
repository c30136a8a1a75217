import { Command, CommanderError } from 'commander';
import { isBiaslabError } from '@biaslab/core';
import { extractDottedOptions } from './dotted-options';
import type { DottedOptions } from './dotted-options';
import { processIo } from './io';
import type { CliIo } from './io';
import { runCommand } from './commands/run';
import { sweepCommand } from './commands/sweep';
import { pluginsCommand } from './commands/plugins';
import { resultsCommand } from './commands/results';
import { reproduceCommand } from './commands/reproduce';
import { reportCommand } from './commands/report';
import { inspectCommand } from './commands/inspect';
import { float64Blockers, supportedOps } from '@biaslab/lab';
import { CliInterrupted } from './interrupted';

export type { CliIo } from './io';
export { processIo } from './io';
export { createRegistry, loadPlugin, BUILT_IN_PLUGINS } from './registry';
export { extractDottedOptions, parseFlagValue } from './dotted-options';
export { buildConfig } from './experiment-config';
export { optionDocs } from './option-docs';
export { phaseTable } from './phase-table';

/**
 * The `biaslab` program. Commander's own exits become exceptions (`exitOverride`) and its output goes to `io`,
 * so `main` decides exit codes and tests can run it in-process.
 */
export function createProgram(io: CliIo = processIo, dotted?: DottedOptions): Command {
  const context = { io, dotted: dotted ?? { model: {}, dataset: {}, optimizer: {}, metric: {} } };
  const program = new Command('biaslab')
    .description(
      'A laboratory for the implicit bias of gradient descent: runs, learning-rate sweeps, sharpness.',
    )
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .exitOverride();
  for (const command of [
    runCommand(context),
    sweepCommand(context),
    resultsCommand(context),
    reproduceCommand(context),
    reportCommand(context),
    inspectCommand(context, { supportedOps, float64Blockers }),
    pluginsCommand(context),
  ]) {
    program.addCommand(command);
  }
  const override = (command: Command) => {
    command.exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
    command.commands.forEach(override);
  };
  program.commands.forEach(override);
  return program;
}

/**
 * Runs the CLI on `argv` (without `node` and the script) and returns the exit code: 0 on success, 2 for user
 * errors (a BiaslabError or a command-line error: `error: <message>` on stderr, no stack), 130 when Ctrl-C
 * stopped an experiment (with how to resume), 1 for anything unexpected (message and stack).
 */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  try {
    const { argv: rest, dotted } = extractDottedOptions(argv);
    const program = createProgram(io, dotted);
    if (rest.length === 0) {
      program.outputHelp();
      return 0;
    }
    await program.parseAsync(rest, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its message.
      return ['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(error.code) ? 0 : 2;
    }
    if (error instanceof CliInterrupted) {
      io.err(`${error.message}\n`);
      return 130;
    }
    if (isBiaslabError(error) && error.code !== 'INTERNAL') {
      io.err(`error: ${error.message}\n`);
      return 2;
    }
    const e = error as Error;
    io.err(`error: ${e?.message ?? String(error)}\n${e?.stack ?? ''}\n`);
    return 1;
  }
}
