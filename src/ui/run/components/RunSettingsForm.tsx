import { BACKEND_ORDER, type BackendName } from '../../../engine/backend.ts';
import { updateSettings, useRun, type RunSettings } from '../runStore.ts';

function NumberField({
  name,
  label,
  min,
  max,
  title,
}: {
  name: keyof RunSettings;
  label: string;
  min: number;
  max: number;
  title: string;
}) {
  const value = useRun((s) => s.settings[name] as number);
  const id = `run-${name}`;
  return (
    <label className="run-field" htmlFor={id} title={title}>
      <span>{label}</span>
      <input
        id={id}
        data-testid={id}
        type="number"
        min={min}
        max={max}
        value={value}
        onChange={(e) => {
          const v = Math.floor(Number(e.target.value));
          if (Number.isFinite(v)) updateSettings({ [name]: Math.min(max, Math.max(min, v)) });
        }}
      />
    </label>
  );
}

/** Backend, repetitions and budget of the next run. */
export function RunSettingsForm() {
  const backend = useRun((s) => s.settings.backend);
  const allowFallback = useRun((s) => s.settings.allowFallback);
  const compareBuiltin = useRun((s) => s.settings.compareBuiltin);
  const running = useRun((s) => s.active !== undefined);
  return (
    <fieldset className="run-settings" disabled={running}>
      <div className="row">
        <label htmlFor="run-backend">backend</label>
        <select
          id="run-backend"
          data-testid="run-backend"
          value={backend}
          onChange={(e) => updateSettings({ backend: e.target.value as BackendName })}
        >
          {BACKEND_ORDER.map((b) => (
            <option key={b} value={b}>
              {b}
            </option>
          ))}
        </select>
        <label
          className="run-check"
          title="When the chosen backend cannot start, use the next of webgpu → webgl → wasm → cpu and say why"
        >
          <input
            type="checkbox"
            checked={allowFallback}
            onChange={(e) => updateSettings({ allowFallback: e.target.checked })}
          />
          fall back
        </label>
      </div>
      <div className="run-fields">
        <NumberField
          name="repeats"
          label="runs"
          min={1}
          max={100}
          title="Timed runs; the median is reported"
        />
        <NumberField
          name="warmup"
          label="warm-up"
          min={0}
          max={20}
          title="Untimed runs first (shader compilation)"
        />
        <NumberField
          name="budgetMiB"
          label="budget MiB"
          min={1}
          max={65536}
          title="Networks whose live tensors would exceed this are refused before anything is allocated"
        />
      </div>
      <label
        className="run-check"
        title="Time tfjs's own operation too and compare results (else: the float64 reference)"
      >
        <input
          type="checkbox"
          checked={compareBuiltin}
          onChange={(e) => updateSettings({ compareBuiltin: e.target.checked })}
        />
        compare with the tfjs built-in
      </label>
    </fieldset>
  );
}
