import { errorMessage } from '../core/errors.ts';
import { OPERATIONS } from '../core/ops/index.ts';
import { answerPlanRequest } from '../core/planner/request.ts';
import { answerBatch, readJson } from './io.ts';
import { answerRunRequest, parseRunArgs, type Evaluator } from './runCommand.ts';

const USAGE = `usage: einsketch <command> [FILE|-]

commands:
  run FILE|-    evaluate one request or an array of requests (JSON) and print the results
                  --engine engine      planner path on the tfjs engine, cpu backend, float32 (default)
                  --engine reference   naive float64 evaluator, operand order
                  --memory-budget SIZE refuse requests whose tensors would exceed SIZE (default 1GiB)
  plan FILE|-   contraction path of {equation, shapes} (or an array): {path, flops, largest_intermediate}
  ops           list the operations and the tensors each takes
  help          show this text

A request is {op, tensors: {name: {shape, data}}, stride?, padding?, dilation?, groups?,
kernel_size?, input_size?, output_padding?}; see README.md.`;

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'run': {
      let input: unknown;
      let evaluator: Evaluator;
      try {
        const args = parseRunArgs(rest);
        evaluator = args.evaluator;
        input = readJson(args.file);
      } catch (err) {
        process.stderr.write(`einsketch: ${errorMessage(err)}\n`);
        return 1;
      }
      const outcome = await answerBatch(input, (r) => answerRunRequest(r, evaluator), errorMessage);
      if (outcome.output !== undefined) print(outcome.output);
      for (const line of outcome.errors) process.stderr.write(`einsketch: ${line}\n`);
      return outcome.errors.length ? 1 : 0;
    }
    case 'plan': {
      let input: unknown;
      try {
        input = readJson(rest[0]);
      } catch (err) {
        process.stderr.write(`einsketch: ${errorMessage(err)}\n`);
        return 1;
      }
      const outcome = await answerBatch(input, async (r) => answerPlanRequest(r), errorMessage);
      if (outcome.output !== undefined) print(outcome.output);
      for (const line of outcome.errors) process.stderr.write(`einsketch: ${line}\n`);
      return outcome.errors.length ? 1 : 0;
    }
    case 'ops':
      for (const op of Object.values(OPERATIONS)) process.stdout.write(`${op.name}(${op.inputs.join(', ')}): ${op.summary}\n`);
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 1 : 0;
    default:
      process.stderr.write(`einsketch: unknown command '${command}' (try 'einsketch help')\n`);
      return 1;
  }
}
