import { BACKEND_ORDER, type BackendName } from '../../engine/backend.ts';
import { BENCH_OPS } from '../../engine/bench/ops.ts';
import { ALL_LAYERS, toggleIn, updateBenchSettings, useBench } from './benchStore.ts';

function Number_({
  name,
  label,
  min,
  max,
}: {
  name: 'batch' | 'runs';
  label: string;
  min: number;
  max: number;
}) {
  const value = useBench((s) => s.settings[name]);
  return (
    <label className="bench-field">
      {label}
      <input
        type="number"
        data-testid={`bench-${name}`}
        min={min}
        max={max}
        value={value}
        onChange={(e) => {
          const v = Math.floor(Number(e.target.value));
          if (Number.isFinite(v)) updateBenchSettings({ [name]: Math.min(max, Math.max(min, v)) });
        }}
      />
    </label>
  );
}

/** Layers, ops, batch, runs and backend of the suite. */
export function BenchSettingsForm() {
  const layers = useBench((s) => s.settings.layers);
  const ops = useBench((s) => s.settings.ops);
  const backend = useBench((s) => s.settings.backend);
  const running = useBench((s) => s.running !== undefined);
  return (
    <fieldset className="bench-settings" disabled={running}>
      <div className="bench-layers">
        <div className="row">
          <strong>layers</strong>
          <button type="button" onClick={() => updateBenchSettings({ layers: [...ALL_LAYERS] })}>
            all
          </button>
          <button type="button" onClick={() => updateBenchSettings({ layers: [] })}>
            none
          </button>
        </div>
        {ALL_LAYERS.map((name) => (
          <label key={name} className="bench-check">
            <input
              type="checkbox"
              data-testid={`bench-layer-${name}`}
              checked={layers.includes(name)}
              onChange={() => updateBenchSettings({ layers: toggleIn(layers, name, ALL_LAYERS) })}
            />
            {name}
          </label>
        ))}
      </div>
      <div className="bench-options">
        <strong>ops</strong>
        {BENCH_OPS.map((op) => (
          <label key={op} className="bench-check">
            <input
              type="checkbox"
              data-testid={`bench-op-${op}`}
              checked={ops.includes(op)}
              onChange={() => updateBenchSettings({ ops: toggleIn(ops, op, BENCH_OPS) })}
            />
            {op}
          </label>
        ))}
        <Number_ name="batch" label="batch" min={1} max={256} />
        <Number_ name="runs" label="timed runs (≥ 5)" min={5} max={100} />
        <label className="bench-field">
          backend
          <select
            data-testid="bench-backend"
            value={backend}
            onChange={(e) => updateBenchSettings({ backend: e.target.value as BackendName })}
          >
            {BACKEND_ORDER.map((b) => (
              <option key={b}>{b}</option>
            ))}
          </select>
        </label>
      </div>
    </fieldset>
  );
}
