// `npm run bench:layout`: how long laying out each diagram takes. Presets go through ELK
// (as the layout worker runs them), chains of 20, 30, 60 and 200 tensors with an open leg each
// (the editor's load tests) through ELK up to ELK_MAX_TENSORS and the quick dagre layout above.
// Prints the median of several runs after a warm-up, in milliseconds.
import ELK from 'elkjs/lib/elk.bundled.js';
import type { Network } from '../src/core/network.ts';
import { elkGeometry } from '../src/ui/diagram/elkGraph.ts';
import { ELK_MAX_TENSORS, quickGeometry } from '../src/ui/diagram/quickGeometry.ts';
import { sourceNetwork } from '../src/ui/editor/model/replayDoc.ts';
import { einsumNetwork } from '../src/ui/editor/model/einsumInput.ts';
import { buildDiagram } from '../src/ui/diagram/graph.ts';
import { presetSource, PRESETS } from '../src/core/diagram/presets.ts';

const RUNS = Number(process.env.RUNS ?? 5);
const elk = new ELK();

function chain(n: number): Network {
  const ops = Array.from({ length: n }, (_, k) =>
    k === 0 ? 'b0 p0' : k === n - 1 ? `b${k - 1} p${k}` : `b${k - 1} p${k} b${k}`,
  );
  const equation = `${ops.join(', ')} -> ${Array.from({ length: n }, (_, k) => `p${k}`).join(' ')}`;
  const sizes = [
    ...Array.from({ length: n - 1 }, (_, k) => `b${k}=4`),
    ...Array.from({ length: n }, (_, k) => `p${k}=2`),
  ].join(' ');
  return einsumNetwork(equation, sizes);
}

async function median(net: Network): Promise<{ ms: number; engine: string }> {
  const diagram = buildDiagram(net);
  const useElk = net.tensors.length <= ELK_MAX_TENSORS;
  const once = async () => {
    const t0 = performance.now();
    if (useElk) await elkGeometry(elk, net, diagram);
    else quickGeometry(net, diagram, true);
    return performance.now() - t0;
  };
  await once();
  const times: number[] = [];
  for (let k = 0; k < RUNS; k++) times.push(await once());
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], engine: useElk ? 'elk' : 'dagre' };
}

for (const preset of PRESETS) {
  const { ms, engine } = await median(sourceNetwork(presetSource(preset.id)));
  console.log(`${preset.id.padEnd(28)} ${engine.padEnd(6)} ${ms.toFixed(1).padStart(8)} ms`);
}
for (const n of [20, 30, 60, 200]) {
  const { ms, engine } = await median(chain(n));
  console.log(
    `${`chain of ${n} tensors`.padEnd(28)} ${engine.padEnd(6)} ${ms.toFixed(1).padStart(8)} ms`,
  );
}
