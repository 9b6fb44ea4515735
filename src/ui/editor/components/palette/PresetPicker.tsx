import { loadPreset, useEditor } from '../../store/editorStore.ts';
import { PRESETS } from '../../../../core/diagram/presets.ts';

/** Picks a preset: every operation of the library and the dense convolutions. */
export function PresetPicker() {
  const presetId = useEditor((s) => s.form.presetId);
  const fromPreset = useEditor((s) => s.doc.diagram.source.kind === 'preset');
  const preset = PRESETS.find((p) => p.id === presetId);
  return (
    <section className="panel preset-picker">
      <h2>Preset</h2>
      <select
        data-testid="preset-select"
        aria-label="Preset"
        value={fromPreset ? presetId : ''}
        onChange={(e) => loadPreset(e.target.value)}
      >
        {!fromPreset && <option value="">(drawn or loaded network)</option>}
        {PRESETS.map((p) => (
          <option key={p.id} value={p.id}>
            {p.title}
          </option>
        ))}
      </select>
      {preset && (
        <p className="muted small">
          <code>{preset.op}</code>: {preset.summary}
        </p>
      )}
    </section>
  );
}
