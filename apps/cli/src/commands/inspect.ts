import { readFileSync, existsSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { Command, Option } from 'commander';
import { BiaslabError } from '@biaslab/core';
import { formatInspection, inspectOnnxModel } from '@biaslab/models';
import type { InspectRules } from '@biaslab/models';
import { toJson } from '@biaslab/results';
import type { CommandContext } from './experiment-command';

interface InspectFlags {
  mode: 'eval' | 'train';
  json?: boolean;
}

/**
 * `biaslab inspect model.onnx`: inputs, outputs, parameter count by layer, every op with its derivative rule
 * and float64 status, and what blocks training. `rules` carries `supportedOps` and the float64 blockers of
 * @biaslab/autodiff, which the CLI reaches through @biaslab/lab.
 */
export function inspectCommand(context: CommandContext, rules: InspectRules): Command {
  const { io } = context;
  return new Command('inspect')
    .description(
      'Analyse an .onnx model for training: inputs, outputs, parameters by layer, ops with rule and float64 status.',
    )
    .argument('<model>', 'path of the .onnx file')
    .addOption(
      new Option('--mode <mode>', 'Dropout/BatchNorm behaviour to analyse')
        .choices(['eval', 'train'])
        .default('eval'),
    )
    .option('--json', 'machine-readable output')
    .action((path: string, flags: InspectFlags) => {
      const full = resolve(io.cwd, path);
      if (!existsSync(full))
        throw new BiaslabError(
          'INVALID_OPTIONS',
          `No file \`${path}\` (resolved to \`${full}\`); give the path of an .onnx file`,
        );
      const bytes = new Uint8Array(readFileSync(full));
      const report = inspectOnnxModel(bytes, rules, {
        mode: flags.mode,
        externalData: (location) => {
          const file = resolve(dirname(full), location);
          if (!file.startsWith(dirname(full) + sep) || !existsSync(file)) {
            throw new BiaslabError(
              'ONNX_FORMAT',
              `External data file \`${location}\` is missing or outside the model's directory`,
            );
          }
          return new Uint8Array(readFileSync(file));
        },
      });
      io.out(flags.json ? `${toJson(report)}\n` : formatInspection(report, path));
    });
}
