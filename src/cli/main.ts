import { errorMessage } from '../core/errors.ts';
import { OPERATIONS } from '../core/ops/index.ts';
import { answerPlanRequest } from '../core/planner/planRequest.ts';
import { answerBatch, readJson } from './requestIo.ts';
import { endQuietlyOnClosedPipe } from './pipe.ts';
import { answerRunRequest, parseRunArgs, type Evaluator } from './runCommand.ts';

const USAGE = `usage: einsketch <command> [FILE|-]

commands:
  run FILE|-    evaluate one request or an array of requests (JSON) and print the results
                  --engine engine      planner path on the tfjs engine, cpu backend, float32 (default)
                  --engine webgpu      the same engine on WebGPU (Dawn in Node; a GPU, or SwiftShader)
                  --engine reference   naive float64 evaluator, planner path (dense costs)
                  --memory-budget SIZE refuse requests whose tensors would exceed SIZE (default 1GiB; all engines)
  plan FILE|-   contraction path of {equation, shapes} (or an array): {path, flops, largest_intermediate};
                  the equation may declare its operands after ';' (x, p1=Pi(I=32,K=3,S=2,P=1,D=1), d=δ)
  ops           list the operations and the tensors each takes
  help          show this text

A request is {op, tensors: {name: {shape, data}}, stride?, padding?, dilation?, groups?,
kernel_size?, input_size?, output_padding?}; see README.md.`;

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/**
 * Reads one request or an array from FILE or stdin and prints the answers; bad elements of
 * an array get {error} (and a line on stderr) while the others are answered.
 */
async function answerFile(
  file: string | undefined,
  answer: (request: unknown) => Promise<unknown>,
): Promise<number> {
  let input: unknown;
  try {
    input = readJson(file);
  } catch (err) {
    process.stderr.write(`einsketch: ${errorMessage(err)}\n`);
    return 1;
  }
  const outcome = await answerBatch(input, answer, errorMessage);
  if (outcome.output !== undefined) print(outcome.output);
  for (const line of outcome.errors) process.stderr.write(`einsketch: ${line}\n`);
  return outcome.errors.length ? 1 : 0;
}

export async function main(argv: string[]): Promise<number> {
  endQuietlyOnClosedPipe(process.stdout);
  endQuietlyOnClosedPipe(process.stderr);
  const [command, ...rest] = argv;
  switch (command) {
    case 'run': {
      let args: ReturnType<typeof parseRunArgs>;
      try {
        args = parseRunArgs(rest);
      } catch (err) {
        process.stderr.write(`einsketch: ${errorMessage(err)}\n`);
        return 1;
      }
      const evaluator: Evaluator = args.evaluator;
      try {
        await evaluator.ready?.();
      } catch (err) {
        process.stderr.write(`einsketch: ${errorMessage(err)}\n`);
        return 1;
      }
      return answerFile(args.file, (r) => answerRunRequest(r, evaluator));
    }
    case 'plan':
      return answerFile(rest[0], async (r) => answerPlanRequest(r));
    case 'ops':
      for (const op of Object.values(OPERATIONS))
        process.stdout.write(`${op.name}(${op.inputs.join(', ')}): ${op.summary}\n`);
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
