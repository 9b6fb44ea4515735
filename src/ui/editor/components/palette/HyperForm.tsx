import { FIELDS, fieldsFor, type FieldName } from '../../model/form.ts';
import { getPreset } from '../../model/presets.ts';
import { editField, useEditor } from '../../store/editorStore.ts';

/** One field; an invalid value stays in it with the library's message beside it. */
function Field({ name }: { name: FieldName }) {
  const value = useEditor((s) => s.form.values[name]);
  const error = useEditor((s) => s.form.errors[name]);
  const spec = FIELDS.find((f) => f.name === name)!;
  const id = `field-${name}`;
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{spec.label}</label>
      {name === 'dims' ? (
        <select
          id={id}
          data-testid={id}
          value={value}
          onChange={(e) => editField(name, e.target.value)}
          title={spec.help}
        >
          <option value="1">1</option>
          <option value="2">2</option>
          <option value="3">3</option>
        </select>
      ) : (
        <input
          id={id}
          data-testid={id}
          value={value}
          title={spec.help}
          aria-invalid={error ? true : undefined}
          spellCheck={false}
          onChange={(e) => editField(name, e.target.value)}
        />
      )}
      {error && (
        <div className="field-error" data-testid="error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

/** The preset's hyper-parameters; every valid change rebuilds the diagram at once. */
export function HyperForm() {
  const presetId = useEditor((s) => s.form.presetId);
  const fromPreset = useEditor((s) => s.doc.source.kind === 'preset');
  const preset = getPreset(presetId);
  if (!preset) return null;
  return (
    <section className="panel hyper-form" aria-label="Hyper-parameters">
      <h2>Hyper-parameters</h2>
      {!fromPreset && (
        <p className="muted small">Editing a field rebuilds the “{preset.title}” preset.</p>
      )}
      <div className="fields">
        {fieldsFor(preset.op).map((name) => (
          <Field key={name} name={name} />
        ))}
      </div>
    </section>
  );
}
